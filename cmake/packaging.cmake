# Where `cmake --install` puts docshift on a Debian server, and the .deb
# that CPack builds from the same rules:
#
#   /usr/bin/docshift-{fcgi,worker,migrate,cleanup}, docshift-office-engine
#   /usr/share/docshift/{sql,frontend,nginx}
#   /usr/share/doc/docshift/deploy.md
#   /lib/systemd/system/docshift-*.{socket,service,timer}
#   /etc/docshift/docshift.conf        (a conffile: local edits survive)
#
# /var/lib/docshift and the docshift user are made by the package's
# postinst, not installed, since they belong to the machine. Install with
# the prefix /usr: `cmake --install build --prefix /usr`.

set(DOCSHIFT_SOURCE_ROOT ${CMAKE_CURRENT_LIST_DIR}/..)

# The configuration example, written from the configuration table itself.
add_executable(docshift-config-example
    ${DOCSHIFT_SOURCE_ROOT}/packaging/config_example.cpp)
target_link_libraries(docshift-config-example PRIVATE docshift)
set(DOCSHIFT_CONF ${CMAKE_BINARY_DIR}/docshift.conf)
add_custom_command(
    OUTPUT ${DOCSHIFT_CONF}
    COMMAND docshift-config-example ${DOCSHIFT_CONF}
    DEPENDS docshift-config-example
    COMMENT "Writing docshift.conf from the configuration table")
add_custom_target(docshift-conf ALL DEPENDS ${DOCSHIFT_CONF})

install(TARGETS docshift-fcgi docshift-worker docshift-migrate
                docshift-cleanup
        RUNTIME DESTINATION bin)
# The worker looks for its LibreOffice helper next to its own program.
install(PROGRAMS ${DOCSHIFT_SOURCE_ROOT}/worker/docshift-office-engine
        DESTINATION bin)
install(DIRECTORY ${DOCSHIFT_SOURCE_ROOT}/sql/
        DESTINATION share/docshift/sql
        FILES_MATCHING PATTERN "*.sql")
install(DIRECTORY ${DOCSHIFT_SOURCE_ROOT}/frontend/
        DESTINATION share/docshift/frontend)
install(FILES ${DOCSHIFT_SOURCE_ROOT}/nginx/docshift-site.conf
        DESTINATION share/docshift/nginx)
install(FILES ${DOCSHIFT_SOURCE_ROOT}/docs/deploy.md
        DESTINATION share/doc/docshift)

# Absolute: systemd and the administrator look here whatever the prefix.
install(FILES
            ${DOCSHIFT_SOURCE_ROOT}/systemd/docshift-fcgi.socket
            ${DOCSHIFT_SOURCE_ROOT}/systemd/docshift-fcgi.service
            ${DOCSHIFT_SOURCE_ROOT}/systemd/docshift-worker.service
            ${DOCSHIFT_SOURCE_ROOT}/systemd/docshift-cleanup.service
            ${DOCSHIFT_SOURCE_ROOT}/systemd/docshift-cleanup.timer
        DESTINATION /lib/systemd/system)
install(FILES ${DOCSHIFT_CONF}
        DESTINATION /etc/docshift
        PERMISSIONS OWNER_READ OWNER_WRITE GROUP_READ WORLD_READ)

# The .deb: `cpack -G DEB` in the build folder.
set(CPACK_GENERATOR DEB)
set(CPACK_PACKAGE_NAME docshift)
set(CPACK_PACKAGE_VERSION ${PROJECT_VERSION})
set(CPACK_PACKAGE_CONTACT "docshift maintainers <root@localhost>")
set(CPACK_PACKAGE_DESCRIPTION_SUMMARY
    "self-hosted document conversion service")
set(CPACK_PACKAGE_DESCRIPTION
    "A web page and HTTP API that convert office documents, PDFs and images
with LibreOffice and other Debian tools, for anonymous visitors whose jobs
and files are deleted after 24 hours. Runs behind nginx with PostgreSQL.")
set(CPACK_PACKAGING_INSTALL_PREFIX /usr)
set(CPACK_DEBIAN_FILE_NAME DEB-DEFAULT)
set(CPACK_DEBIAN_PACKAGE_SECTION web)
# Libraries the programs link come from dpkg-shlibdeps; the rest are
# programs docshift runs or is served by.
set(CPACK_DEBIAN_PACKAGE_SHLIBDEPS ON)
# The engines are the ones scripts/lib/stack.sh installs as RUN_PACKAGES.
string(JOIN ", " CPACK_DEBIAN_PACKAGE_DEPENDS
    adduser init-system-helpers nginx postgresql-client python3 python3-uno
    bubblewrap
    libreoffice-writer-nogui libreoffice-calc-nogui libreoffice-impress-nogui
    poppler-utils qpdf ghostscript img2pdf libvips-tools pandoc
    fonts-dejavu-core fonts-liberation2)
# Wider scripts in results; the service runs without them.
set(CPACK_DEBIAN_PACKAGE_RECOMMENDS
    "postgresql, fonts-noto-core, fonts-noto-cjk")
set(CPACK_DEBIAN_PACKAGE_CONTROL_EXTRA
    ${DOCSHIFT_SOURCE_ROOT}/packaging/deb/conffiles
    ${DOCSHIFT_SOURCE_ROOT}/packaging/deb/postinst
    ${DOCSHIFT_SOURCE_ROOT}/packaging/deb/prerm
    ${DOCSHIFT_SOURCE_ROOT}/packaging/deb/postrm)
set(CPACK_DEBIAN_PACKAGE_CONTROL_STRICT_PERMISSION ON)
# Debug symbols stay in the build folder; the package is a fraction of
# the size.
set(CPACK_STRIP_FILES ON)
include(CPack)
