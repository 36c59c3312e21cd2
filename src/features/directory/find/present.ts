import type { Framework } from '../../../frameworks/schema.ts'
import type { ReferralRoute } from '../../../platform/db/schema.ts'
import type { OrukContact, OrukCostOption, OrukLanguage, OrukPhone, OrukSchedule } from '../oruk/types.ts'
import { categoryName } from './categories.ts'

/** How services and their parts are said to a family: plain words, no codes. */

export function agesText(minimum: number | null | undefined, maximum: number | null | undefined): string {
  const years = (n: number) => (n === 1 ? '1 year' : `${n} years`)
  const from = typeof minimum === 'number' ? minimum : undefined
  const to = typeof maximum === 'number' ? maximum : undefined
  if (from !== undefined && to !== undefined) return from === to ? `${years(from)} old` : `${from} to ${years(to)}`
  if (from !== undefined) return `${years(from)} and over`
  if (to !== undefined) return `Up to ${years(to)}`
  return 'All ages'
}

export function levelText(framework: Framework, level: number): string {
  const found = framework.levels.find((l) => l.level === level)
  return found ? `Level ${level}: ${found.name}` : `Level ${level}`
}

/** "Families who need a little extra help" and so on: each level the service is for, in plain words. */
export function levelsForFamilies(framework: Framework, levels: readonly number[]): { name: string; summary: string }[] {
  return [...levels]
    .sort((a, b) => a - b)
    .map((level) => {
      const found = framework.levels.find((l) => l.level === level)
      return { name: levelText(framework, level), summary: found?.summary ?? '' }
    })
}

export function localitiesText(framework: Framework, localities: readonly string[]): string {
  if (!localities.length) return 'Not given'
  if (framework.localities.length > 1 && framework.localities.every((l) => localities.includes(l.id))) return `All of ${framework.shortName}`
  return localities.map((id) => framework.localities.find((l) => l.id === id)?.name ?? id).join(', ')
}

export const ROUTE_SHORT: Record<ReferralRoute, string> = {
  self: 'Contact them yourself',
  professional: 'Through a professional',
  'request-for-support': 'Through a request for support',
}

export function routesText(routes: readonly string[]): string {
  const known = routes.filter((r): r is ReferralRoute => r in ROUTE_SHORT)
  return known.length ? known.map((r) => ROUTE_SHORT[r]).join('; ') : 'Contact the service to ask'
}

export function categoriesText(categories: readonly string[]): string {
  return categories.map(categoryName).join(', ')
}

const DAYS: Record<string, string> = { MO: 'Monday', TU: 'Tuesday', WE: 'Wednesday', TH: 'Thursday', FR: 'Friday', SA: 'Saturday', SU: 'Sunday' }

/** "10am", "9:30am", "6pm" from "10:00:00", "09:30", "18:00". */
export function timeText(value: string | undefined): string | undefined {
  const match = value ? /^(\d{1,2}):(\d{2})/.exec(value) : null
  if (!match) return undefined
  const hours = Number(match[1])
  const minutes = match[2] ?? '00'
  if (hours > 23) return undefined
  const suffix = hours < 12 ? 'am' : 'pm'
  const twelve = hours % 12 === 0 ? 12 : hours % 12
  if (hours === 12 && minutes === '00') return 'midday'
  return `${twelve}${minutes === '00' ? '' : `:${minutes}`}${suffix}`
}

function listText(items: string[]): string {
  if (items.length <= 1) return items.join('')
  return `${items.slice(0, -1).join(', ')} and ${items.at(-1)}`
}

/** A schedule as a sentence: its own description when it has one, else built from its rule. */
export function scheduleText(schedule: OrukSchedule): string {
  const parts: string[] = []
  const days = (schedule.byday ?? '')
    .split(',')
    .map((d) => DAYS[d.trim().slice(-2).toUpperCase()])
    .filter((d): d is string => Boolean(d))
  const interval = schedule.interval && schedule.interval > 1 ? schedule.interval : 1
  if (schedule.freq === 'WEEKLY' || (!schedule.freq && days.length)) {
    const every = interval > 1 ? `Every ${interval} weeks` : 'Every week'
    parts.push(days.length ? `${every} on ${listText(days)}` : every)
  } else if (schedule.freq === 'MONTHLY') {
    const every = interval > 1 ? `Every ${interval} months` : 'Every month'
    const monthDays = (schedule.bymonthday ?? '').split(',').map((d) => d.trim()).filter((d) => /^\d{1,2}$/.test(d))
    parts.push(days.length ? `${every} on ${listText(days)}` : monthDays.length ? `${every} on day ${listText(monthDays)}` : every)
  }
  const opens = timeText(schedule.opens_at)
  const closes = timeText(schedule.closes_at)
  if (opens && closes) parts.push(`${opens} to ${closes}`)
  else if (opens) parts.push(`from ${opens}`)
  const rule = parts.join(', ')
  const sentences = [schedule.description?.trim(), rule && !schedule.description ? rule : undefined, schedule.attending_type?.trim(), schedule.notes?.trim()]
  return sentences.filter((s): s is string => Boolean(s)).join('. ')
}

const money = new Intl.NumberFormat('en-GB', { style: 'currency', currency: 'GBP' })

export function costText(fees: string | undefined, options: OrukCostOption[] | undefined): string[] {
  const lines = (options ?? []).map((o) => {
    const amount = typeof o.amount === 'number' ? (o.amount === 0 ? 'Free' : money.format(o.amount).replace(/\.00$/, '')) : undefined
    return [o.option, amount, o.amount_description].filter(Boolean).join(': ').replace(/: (per|a|each)\b/, ' $1')
  })
  if (fees?.trim()) lines.unshift(fees.trim())
  return lines.filter(Boolean)
}

export function languagesText(languages: OrukLanguage[] | undefined): string[] {
  return (languages ?? []).map((l) => l.name ?? l.code ?? '').filter(Boolean)
}

/** Every phone number the record gives (on its contacts, or at its places), each once. */
export function phonesOf(...sources: { phones?: OrukPhone[] | undefined; contacts?: OrukContact[] | undefined }[]): { number: string; description: string | undefined }[] {
  const seen = new Map<string, string | undefined>()
  for (const source of sources) {
    const phones = [...(source.phones ?? []), ...(source.contacts ?? []).flatMap((c) => c.phones ?? [])]
    for (const phone of phones) if (phone?.number && !seen.has(phone.number)) seen.set(phone.number, phone.description)
  }
  return [...seen].map(([number, description]) => ({ number, description }))
}

/** A link only for web addresses: a record's url is shown, never followed as javascript: or data:. */
export function safeUrl(value: unknown): string | undefined {
  if (typeof value !== 'string') return undefined
  try {
    const url = new URL(value)
    return url.protocol === 'https:' || url.protocol === 'http:' ? url.toString() : undefined
  } catch {
    return undefined
  }
}
