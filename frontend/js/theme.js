// Light, dark, or whatever the system prefers. "auto" leaves the choice to
// the prefers-color-scheme media query in the style sheet.

const storageKey = "docshift.theme";
const themes = ["auto", "light", "dark"];

export function storedTheme() {
  const saved = localStorage.getItem(storageKey);
  return themes.includes(saved) ? saved : "auto";
}

export function applyTheme(theme) {
  const root = document.documentElement;
  if (theme === "auto") {
    root.removeAttribute("data-theme");
    localStorage.removeItem(storageKey);
  } else {
    root.dataset.theme = theme;
    localStorage.setItem(storageKey, theme);
  }
}
