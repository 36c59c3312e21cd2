/** Dates and times as GOV.UK writes them, in UK time: "24 November 2026 at 3:05pm". */
const dateFormat = new Intl.DateTimeFormat('en-GB', { day: 'numeric', month: 'long', year: 'numeric', timeZone: 'Europe/London' })
const timeFormat = new Intl.DateTimeFormat('en-GB', { hour: 'numeric', minute: '2-digit', hour12: true, timeZone: 'Europe/London' })

export function formatDate(value: Date | string | null | undefined): string {
  if (!value) return ''
  return dateFormat.format(new Date(value))
}

export function formatDateTime(value: Date | string | null | undefined): string {
  if (!value) return ''
  const date = new Date(value)
  const time = timeFormat.format(date).replace(' ', '').toLowerCase()
  return `${dateFormat.format(date)} at ${time}`
}
