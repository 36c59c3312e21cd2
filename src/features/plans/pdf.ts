import PDFDocument from 'pdfkit'
import { formatDate, formatDateTime } from '../../platform/views/format.ts'
import { ACTION_STATUS_TEXT, CONSENT_STATEMENT, PLAN_KIND_TEXT, type PlanAction, type PlanContent, type PlanKind } from './content.ts'

/**
 * The family's copy of an Early Help Plan version as a PDF made of text (not an image), so it can
 * be read aloud, searched and copied: every field of the template under its heading, the scores,
 * the actions as a table and the consent and signatures.
 */

export interface PdfPlan {
  authorityName: string
  familyName: string
  reference: string
  number: number
  kind: PlanKind
  status: 'draft' | 'agreed'
  agreedAt: Date | null
  content: PlanContent
  familyScore: number | null
  teamScore: number | null
  reviewOn: string | null
  consentGiven: boolean | null
  assessorName: string | null
  assessorSignedOn: string | null
  familySignatoryName: string | null
  familySignedOn: string | null
  /** Words for outcome and headline ids. */
  outcomes: Record<string, string>
  nextSteps: Record<string, string>
}

/** "early-help-plan-SOU-EH-2026-00001-v2.pdf" */
export function pdfFileName(reference: string, number: number): string {
  return `early-help-plan-${reference.replace(/[^A-Za-z0-9-]/g, '')}-v${number}.pdf`
}

const MARGIN = 56
const yesNo = (v: 'yes' | 'no' | null) => (v === 'yes' ? 'Yes' : v === 'no' ? 'No' : 'Not recorded')
const orNone = (value: string | null | undefined) => (value && value.trim() ? value : 'Not recorded')

export function renderPlanPdf(plan: PdfPlan): Promise<Buffer> {
  const title = `Early Help Plan for the ${plan.familyName} family, version ${plan.number}`
  const doc = new PDFDocument({
    size: 'A4',
    margin: MARGIN,
    lang: 'en-GB',
    displayTitle: true,
    info: { Title: title, Author: plan.authorityName, Subject: `Early Help Plan ${plan.reference}` },
  })
  const chunks: Buffer[] = []
  const done = new Promise<Buffer>((resolve, reject) => {
    doc.on('data', (chunk: Buffer) => chunks.push(chunk))
    doc.on('end', () => resolve(Buffer.concat(chunks)))
    doc.on('error', reject)
  })
  const width = doc.page.width - MARGIN * 2

  const heading = (text: string, size = 14) => {
    if (doc.y > doc.page.height - MARGIN - 60) doc.addPage()
    doc.moveDown(0.8).font('Helvetica-Bold').fontSize(size).fillColor('#0b0c0c').text(text, MARGIN, doc.y, { width })
    doc.moveDown(0.3).font('Helvetica').fontSize(11)
  }
  const para = (text: string) => doc.font('Helvetica').fontSize(11).text(text, MARGIN, doc.y, { width, paragraphGap: 4 })
  const field = (label: string, value: string) => {
    doc.font('Helvetica-Bold').fontSize(11).text(`${label}: `, MARGIN, doc.y, { continued: true, width })
    doc.font('Helvetica').text(value)
  }
  const c = plan.content

  doc.font('Helvetica-Bold').fontSize(20).text('Early Help Plan', { width })
  doc.font('Helvetica').fontSize(12).text(`${plan.authorityName}`, { width })
  doc.moveDown(0.5)
  field('Family', `The ${plan.familyName} family`)
  field('Reference', plan.reference)
  field('Version', `${plan.number} (${PLAN_KIND_TEXT[plan.kind].toLowerCase()} Team Around the Family meeting)`)
  field('Status', plan.status === 'agreed' && plan.agreedAt ? `Agreed on ${formatDateTime(plan.agreedAt)}` : 'Draft: not yet agreed')

  heading('Meeting')
  field('Date', c.meeting.date ? formatDate(c.meeting.date) : 'Not recorded')
  field('Time', orNone(c.meeting.time))
  field('Venue', orNone(c.meeting.venue))
  field('Virtual meeting', yesNo(c.meeting.virtual))
  field('Co-ordinator', orNone(c.meeting.coordinator))

  heading('The child')
  field('Name', orNone(c.child.name))
  field('Date of birth', c.child.dateOfBirth ? formatDate(c.child.dateOfBirth) : 'Not recorded')
  field('Address', orNone([c.child.address, c.child.postcode].filter(Boolean).join(', ')))

  heading('Family members')
  if (!c.familyMembers.length) para('None recorded.')
  for (const m of c.familyMembers) {
    para(`${m.name}: ${m.relationship || 'relationship not recorded'}. Attended: ${yesNo(m.attended)}. Views gained: ${yesNo(m.viewsGained)}. Ethnicity: ${orNone(m.ethnicity)}.`)
  }
  field('Communication needs', orNone(c.communicationNeeds))

  heading('Practitioners')
  if (!c.practitioners.length) para('None recorded.')
  for (const p of c.practitioners) {
    para(`${p.name}: ${p.role}. Contact: ${orNone(p.contact)}. Attended: ${yesNo(p.attended)}. Provided a report: ${yesNo(p.reportProvided)}.`)
  }

  heading('Additional information')
  field('Additional needs or disabilities of the children', orNone(c.additionalNeeds))
  field('Are the children young carers?', orNone(c.youngCarers))
  field('Other people who support the family', orNone(c.otherSupport))

  heading('What are we worried about?')
  para(orNone(c.worries))
  heading('What is going well?')
  para(orNone(c.goingWell))

  heading('What needs to change?')
  if (!c.needs.length) para('None recorded.')
  c.needs.forEach((n, i) => {
    para(`${i + 1}. ${n.text}`)
    const links = [...n.outcomeIds, ...n.headlineIds].map((id) => plan.outcomes[id] ?? id)
    if (links.length) doc.fontSize(10).text(`Outcomes: ${links.join('; ')}`, MARGIN + 14, doc.y, { width: width - 14, paragraphGap: 4 }).fontSize(11)
  })

  heading('How will we know the plan has worked?')
  para(orNone(c.howWeWillKnow))

  heading('Scaling scores')
  para('On a scale of 0 to 10, where 0 is as bad as it can be and 10 is the children provided with stable and consistent care and accessing universal services:')
  field('The family’s score', plan.familyScore === null ? 'Not recorded' : `${plan.familyScore} out of 10`)
  field('The Team Around the Family’s score', plan.teamScore === null ? 'Not recorded' : `${plan.teamScore} out of 10`)

  heading('Next steps')
  para(c.nextStep ? (plan.nextSteps[c.nextStep] ?? c.nextStep) : 'Not recorded')
  if (c.nextStepDetails) para(c.nextStepDetails)

  heading('Family plan')
  actionsTable(doc, c.actions, width)

  heading('Review date and contact')
  field('Review date', plan.reviewOn ? formatDate(plan.reviewOn) : 'Not set')
  field('Lead Professional’s contact details', orNone(c.leadProfessionalContact))

  heading('Consent and signatures')
  para(CONSENT_STATEMENT)
  field('Consent given', plan.consentGiven === null ? 'Not yet recorded' : plan.consentGiven ? 'Yes' : 'No')
  field('Assessor name', orNone(plan.assessorName))
  field('Signed (assessor) on', plan.assessorSignedOn ? formatDate(plan.assessorSignedOn) : 'Not signed')
  field('Parent, carer, child or young person name', orNone(plan.familySignatoryName))
  field('Signed (parent, carer, child or young person) on', plan.familySignedOn ? formatDate(plan.familySignedOn) : 'Not signed')

  doc.end()
  return done
}

/** The actions as a table of text: what, who, by when and status, a row each. */
function actionsTable(doc: PDFKit.PDFDocument, actions: PlanAction[], width: number): void {
  if (!actions.length) {
    doc.font('Helvetica').fontSize(11).text('No actions recorded.', MARGIN, doc.y, { width })
    return
  }
  const columns = [
    { title: 'What will be done', width: width * 0.46 },
    { title: 'By who', width: width * 0.22 },
    { title: 'By when', width: width * 0.17 },
    { title: 'Status', width: width * 0.15 },
  ]
  const row = (cells: string[], bold: boolean) => {
    doc.font(bold ? 'Helvetica-Bold' : 'Helvetica').fontSize(10)
    const height = Math.max(...cells.map((cell, i) => doc.heightOfString(cell, { width: columns[i]!.width - 6 })))
    if (doc.y + height > doc.page.height - MARGIN) doc.addPage()
    const top = doc.y
    let x = MARGIN
    cells.forEach((cell, i) => {
      doc.text(cell, x, top, { width: columns[i]!.width - 6 })
      x += columns[i]!.width
    })
    doc.y = top + height + 4
    doc.moveTo(MARGIN, doc.y - 2).lineTo(MARGIN + width, doc.y - 2).lineWidth(0.5).strokeColor('#b1b4b6').stroke()
  }
  row(
    columns.map((c) => c.title),
    true,
  )
  for (const a of actions) row([a.what, a.who, formatDate(a.dueOn), ACTION_STATUS_TEXT[a.status]], false)
  doc.x = MARGIN
}
