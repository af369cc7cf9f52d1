// The single entry point of the unit test program; each test_*.cpp file
// adds its own suite.
#define BOOST_TEST_MODULE docshift unit tests
#include <boost/test/unit_test.hpp>
