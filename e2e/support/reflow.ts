import type { Page } from 'playwright-core'

/** The narrowest width WCAG 1.4.10 (Reflow) asks content to work at without scrolling sideways. */
export const REFLOW_VIEWPORT = { width: 320, height: 640 }

/**
 * Whether the page itself scrolls sideways at its current width, naming up to five of the innermost
 * elements that stick out. A wide table inside its own scrolling wrapper is allowed; the page is not.
 */
export async function horizontalOverflow(page: Page): Promise<string | undefined> {
  return page.evaluate(() => {
    const root = document.documentElement
    const width = root.clientWidth
    if (root.scrollWidth <= width) return undefined
    const sticking = Array.from(document.body.querySelectorAll('*')).filter((el) => el.getBoundingClientRect().right > width + 1)
    const innermost = sticking.filter((el) => !sticking.some((other) => other !== el && el.contains(other)))
    const describe = (el: Element) =>
      `<${el.tagName.toLowerCase()} class="${el.getAttribute('class') ?? ''}">${(el.textContent ?? '').trim().slice(0, 40)}</…> (right edge ${Math.round(el.getBoundingClientRect().right)}px)`
    return `the page is ${root.scrollWidth}px wide in a ${width}px viewport; sticking out: ${innermost.slice(0, 5).map(describe).join('; ')}`
  })
}
