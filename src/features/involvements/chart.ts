/**
 * The scaling scores across plan versions as an SVG line chart: 0 to 10 up the side, one point per
 * agreed version along the bottom, the family's view as a solid line with circles and the team's
 * as a dashed line with squares, so the lines differ by more than colour. The page puts the same
 * numbers in a table beside it; the chart itself is hidden from screen readers.
 */
export interface ScorePoint {
  label: string
  family: number | null
  team: number | null
}

export interface Chart {
  width: number
  height: number
  plot: { left: number; right: number; top: number; bottom: number }
  gridlines: { y: number; label: string }[]
  columns: { x: number; label: string }[]
  family: { line: string; points: { x: number; y: number }[] }
  team: { line: string; points: { x: number; y: number }[] }
}

export function scoreChart(points: ScorePoint[], width = 600, height = 300): Chart {
  const plot = { left: 50, right: width - 50, top: 20, bottom: height - 40 }
  const x = (i: number) => (points.length <= 1 ? (plot.left + plot.right) / 2 : plot.left + ((plot.right - plot.left) * i) / (points.length - 1))
  const y = (score: number) => plot.bottom - ((plot.bottom - plot.top) * score) / 10
  const series = (key: 'family' | 'team') => {
    const at = points.flatMap((p, i) => (p[key] === null ? [] : [{ x: round(x(i)), y: round(y(p[key])) }]))
    return { line: at.map((p) => `${p.x},${p.y}`).join(' '), points: at }
  }
  return {
    width,
    height,
    plot,
    gridlines: [0, 2, 4, 6, 8, 10].map((score) => ({ y: round(y(score)), label: String(score) })),
    columns: points.map((p, i) => ({ x: round(x(i)), label: p.label })),
    family: series('family'),
    team: series('team'),
  }
}

const round = (n: number) => Math.round(n * 10) / 10
