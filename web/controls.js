/* global document, localStorage, matchMedia */

/** The 1M…All buttons: `onRange` gets a number of bars, or null for all of them. */
export function setupRangeButtons(initialBars, onRange) {
  const buttons = [...document.querySelectorAll('[data-range]')]
  const barsOf = (button) => (button.dataset.range === 'all' ? null : Number(button.dataset.range))
  for (const button of buttons) {
    button.setAttribute('aria-pressed', String(barsOf(button) === initialBars))
    button.addEventListener('click', () => {
      for (const other of buttons) other.setAttribute('aria-pressed', String(other === button))
      onRange(barsOf(button))
    })
  }
}

const THEMES = ['auto', 'light', 'dark']
const LABELS = { auto: '◐ Auto', light: '☀ Light', dark: '☾ Dark' }

/** The theme button cycles auto (the system's), light and dark, remembered; `onChange` repaints what CSS cannot. */
export function setupThemeToggle(button, onChange) {
  const apply = (theme) => {
    document.documentElement.dataset.theme = theme
    button.textContent = LABELS[theme]
    onChange()
  }
  const saved = localStorage.getItem('quotecast-theme')
  apply(THEMES.includes(saved) ? saved : 'auto')
  button.addEventListener('click', () => {
    const next = THEMES[(THEMES.indexOf(document.documentElement.dataset.theme) + 1) % THEMES.length]
    localStorage.setItem('quotecast-theme', next)
    apply(next)
  })
  matchMedia('(prefers-color-scheme: dark)').addEventListener('change', onChange)
}
