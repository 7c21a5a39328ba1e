// Progressive enhancement only: every page works without this file.
import { initAll } from '/assets/govuk/govuk-frontend.min.js'

initAll()

// GOV.UK/MOJ timeout warning: warn before the idle session ends, offer to stay signed in.
const dialog = document.getElementById('cb-timeout')
if (dialog && typeof dialog.showModal === 'function') {
  const idleMs = Number(dialog.dataset.idleMinutes) * 60_000
  const warnMs = Number(dialog.dataset.warningMinutes) * 60_000
  const countdown = dialog.querySelector('.cb-timeout__countdown')
  let warnTimer
  let endTimer
  let tick

  const schedule = () => {
    clearTimeout(warnTimer)
    clearTimeout(endTimer)
    clearInterval(tick)
    warnTimer = setTimeout(warn, idleMs - warnMs)
    endTimer = setTimeout(() => window.location.assign('/signed-out?timeout=1'), idleMs)
  }
  const warn = () => {
    const ends = Date.now() + warnMs
    const update = () => {
      const minutes = Math.max(1, Math.ceil((ends - Date.now()) / 60_000))
      countdown.textContent = `${minutes} minute${minutes === 1 ? '' : 's'}`
    }
    update()
    tick = setInterval(update, 15_000)
    dialog.showModal()
  }
  dialog.querySelector('.cb-timeout__stay').addEventListener('click', async () => {
    const res = await fetch('/session/keep-alive', { credentials: 'same-origin' })
    if (res.ok) {
      dialog.close()
      schedule()
    } else {
      window.location.assign('/signed-out?timeout=1')
    }
  })
  dialog.addEventListener('cancel', (e) => e.preventDefault())
  schedule()
}
