import assert from 'node:assert/strict'
import { test } from 'node:test'
import fc from 'fast-check'
import { scoreChart } from './chart.ts'

test('scores run from the bottom (0) to the top (10) of the plot, one column per version', () => {
  const chart = scoreChart([
    { label: 'Version 1', family: 3, team: 4 },
    { label: 'Version 2', family: 6, team: null },
  ])
  assert.deepEqual(chart.columns.map((c) => c.x), [50, 550])
  assert.equal(chart.family.points.length, 2)
  assert.equal(chart.team.points.length, 1, 'a missing score leaves a gap, not a zero')
  assert.equal(chart.gridlines[0]?.y, chart.plot.bottom)
  assert.equal(chart.gridlines.at(-1)?.y, chart.plot.top)
  assert.ok((chart.family.points[1]?.y ?? 0) < (chart.family.points[0]?.y ?? 0), 'a higher score is drawn higher')
  assert.equal(chart.family.line, '50,188 550,116')
})

test('every point stays inside the plot', () => {
  fc.assert(
    fc.property(fc.array(fc.record({ label: fc.string(), family: fc.option(fc.integer({ min: 0, max: 10 })), team: fc.option(fc.integer({ min: 0, max: 10 })) }), { maxLength: 30 }), (points) => {
      const chart = scoreChart(points)
      for (const p of [...chart.family.points, ...chart.team.points]) {
        assert.ok(p.x >= chart.plot.left && p.x <= chart.plot.right)
        assert.ok(p.y >= chart.plot.top && p.y <= chart.plot.bottom)
      }
    }),
  )
})
