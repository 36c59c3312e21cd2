import type { Database } from '../platform/db/database.ts'
import { categoryTaxonomyId, categoryTermId, DIRECTORY_CATEGORIES } from '../features/directory/find/categories.ts'
import type { ReferralRoute } from '../platform/db/schema.ts'
import { saveService, saveTaxonomy, stableUuid, type ServiceExtras } from '../features/directory/store.ts'
import type { OrukService, OrukTaxonomyTerm } from '../features/directory/oruk/types.ts'

/**
 * Each authority's demonstration Effective Support Directory: the services the seeds name
 * (Essex 000:541-578 by level of need; Southend 001:365-400 and 003:209-231), with levels,
 * localities, categories, ages, how to refer and capacity. Contact details are fictional:
 * example.org addresses, 01632 960xxx numbers (Ofcom's drama range) and made-up street addresses
 * on postcodes of the right district. A few were last checked over a year ago, so the review flag
 * shows. Loaded once (seed_runs 'demo-directory').
 */

type DirectoryCategory = (typeof DIRECTORY_CATEGORIES)[number]['id']

interface Place {
  name: string
  street: string
  town: string
  postcode: string
  latitude: number
  longitude: number
}

interface DemoService {
  key: string
  name: string
  description: string
  organization: string
  levels: number[]
  localities: string[]
  categories: DirectoryCategory[]
  ages: [number, number]
  routes: ReferralRoute[]
  howToRefer: string
  capacity: string | null
  /** How long ago it was last checked. */
  checkedMonthsAgo: number
  place: Place | null
  /** 960xxx */
  phone: string
  schedule?: { byday: string; opens: string; closes: string; description: string }
  fees?: string
}

interface DemoOrganization {
  key: string
  name: string
  description: string
  website: string
  /** Our organisation (organisations.name) whose service_provider accounts edit its services. */
  ourOrganisation?: string
}

const ESSEX_ALL = ['north-east', 'west', 'mid', 'south']

const ESSEX_PLACES = {
  chelmsford: { name: 'Moulsham Family Hub (demonstration)', street: '12 Fictional Lane', town: 'Chelmsford', postcode: 'CM2 0AX', latitude: 51.7236, longitude: 0.4731 },
  braintree: { name: 'Braintree Community Rooms (demonstration)', street: '4 Example Walk', town: 'Braintree', postcode: 'CM7 1AB', latitude: 51.8782, longitude: 0.5530 },
  colchester: { name: 'Colchester Family Centre (demonstration)', street: '8 Sample Street', town: 'Colchester', postcode: 'CO1 1AB', latitude: 51.8892, longitude: 0.9042 },
  clacton: { name: 'Clacton Youth Space (demonstration)', street: '21 Marine Example Road', town: 'Clacton-on-Sea', postcode: 'CO15 1AB', latitude: 51.7898, longitude: 1.1557 },
  harlow: { name: 'Harlow Community Hub (demonstration)', street: '3 Nowhere Parade', town: 'Harlow', postcode: 'CM20 1AB', latitude: 51.7680, longitude: 0.0955 },
  basildon: { name: 'Basildon Family Hub (demonstration)', street: '16 Imaginary Way', town: 'Basildon', postcode: 'SS14 1AB', latitude: 51.5761, longitude: 0.4887 },
  countyHall: { name: 'County offices (demonstration)', street: '1 Example Square', town: 'Chelmsford', postcode: 'CM1 1AB', latitude: 51.7343, longitude: 0.4691 },
} satisfies Record<string, Place>

const SOUTHEND_PLACES = {
  civic: { name: 'Civic Centre (demonstration)', street: '2 Fictional Avenue', town: 'Southend-on-Sea', postcode: 'SS2 6AB', latitude: 51.5432, longitude: 0.7105 },
  centre: { name: 'Seaside Children’s Centre (demonstration)', street: '9 Example Drive', town: 'Southend-on-Sea', postcode: 'SS1 2AB', latitude: 51.5380, longitude: 0.7190 },
  leigh: { name: 'Leigh Community Hub (demonstration)', street: '14 Sample Close', town: 'Leigh-on-Sea', postcode: 'SS9 1AB', latitude: 51.5425, longitude: 0.6532 },
  shoebury: { name: 'Shoeburyness Youth Centre (demonstration)', street: '5 Example Gardens', town: 'Shoeburyness', postcode: 'SS3 9AB', latitude: 51.5310, longitude: 0.7950 },
} satisfies Record<string, Place>

const WEEKDAYS = { byday: 'MO,TU,WE,TH,FR', opens: '09:00:00', closes: '17:00:00', description: 'Monday to Friday, 9am to 5pm' }

const ESSEX_ORGANIZATIONS: DemoOrganization[] = [
  { key: 'ecc', name: 'Essex County Council (demonstration record)', description: 'The county council’s own early help services. Demonstration record: contact details are fictional.', website: 'https://essex.example.org' },
  { key: 'nhs', name: 'Essex NHS services (demonstration record)', description: 'Health services for children and families in Essex. Demonstration record: contact details are fictional.', website: 'https://nhs-essex.example.org' },
  { key: 'chelmer', name: 'Chelmer Family Support Trust (demonstration)', description: 'A fictional voluntary organisation running parenting and family support groups in Mid Essex.', website: 'https://chelmer-trust.example.org', ourOrganisation: 'Chelmer Family Support Trust (demonstration)' },
  { key: 'vcs', name: 'Essex Voluntary and Community Sector partners (demonstration)', description: 'Fictional community and voluntary sector providers across the four Essex quadrants.', website: 'https://vcs-essex.example.org' },
]

const ESSEX_SERVICES: DemoService[] = [
  // Universal (level 1)
  { key: 'libraries', name: 'Essex Libraries: Rhyme Time and Homework Help', description: 'Free rhyme and story sessions for babies and toddlers, and homework clubs for school-age children, in libraries across Essex.', organization: 'ecc', levels: [1], localities: ESSEX_ALL, categories: ['activities', 'early-years', 'education'], ages: [0, 16], routes: ['self'], howToRefer: 'Just turn up: no referral needed.', capacity: 'Places available', checkedMonthsAgo: 2, place: ESSEX_PLACES.chelmsford, phone: '960101', schedule: WEEKDAYS, fees: 'Free' },
  { key: 'active-essex', name: 'Active Essex: family sport and activity', description: 'Low-cost sport, swimming and holiday activity sessions for children and families, including free holiday activities with food for children on free school meals.', organization: 'ecc', levels: [1], localities: ESSEX_ALL, categories: ['activities', 'health', 'youth'], ages: [5, 16], routes: ['self'], howToRefer: 'Book online or ask at your local leisure centre.', capacity: 'Places available', checkedMonthsAgo: 4, place: ESSEX_PLACES.basildon, phone: '960102', fees: 'Free to £3 a session' },
  { key: 'health-visiting', name: 'Health Visiting and the Integrated 2 year check', description: 'Health visitors support families with children under 5, including the integrated review at 2 to 2 and a half years with the early years setting.', organization: 'nhs', levels: [1, 2], localities: ESSEX_ALL, categories: ['health', 'early-years', 'parenting'], ages: [0, 5], routes: ['self', 'professional'], howToRefer: 'Call the health visiting duty line, or a professional can refer.', capacity: null, checkedMonthsAgo: 3, place: ESSEX_PLACES.colchester, phone: '960103', schedule: WEEKDAYS },
  { key: 'school-nursing', name: 'School Nursing', description: 'School nurses offer drop-ins, health advice and support with emotional wellbeing, continence and healthy weight for children at school.', organization: 'nhs', levels: [1], localities: ESSEX_ALL, categories: ['health', 'mental-health'], ages: [5, 19], routes: ['self', 'professional'], howToRefer: 'Ask at school, text the school nursing line, or a professional can refer.', capacity: 'Short wait', checkedMonthsAgo: 6, place: ESSEX_PLACES.harlow, phone: '960104' },
  { key: 'early-education', name: 'Education entitlement for 3 and 4 year olds, and free early education for 2 year olds', description: 'Funded early education and childcare: 15 or 30 hours for 3 and 4 year olds, and 15 hours for eligible 2 year olds.', organization: 'ecc', levels: [1, 2], localities: ESSEX_ALL, categories: ['early-years', 'money', 'education'], ages: [2, 4], routes: ['self'], howToRefer: 'Check eligibility and apply online, then take your code to a nursery.', capacity: null, checkedMonthsAgo: 15, place: null, phone: '960105' },
  // Additional (level 2)
  { key: 'wellbeing', name: 'Essex Child and Family Wellbeing Service', description: 'Support for families with children aged 0 to 19: health visiting, family hubs, parenting groups and one-to-one help with sleep, behaviour, routines and wellbeing.', organization: 'nhs', levels: [1, 2], localities: ESSEX_ALL, categories: ['parenting', 'early-years', 'health'], ages: [0, 19], routes: ['self', 'professional'], howToRefer: 'Call the family hub line or ask your health visitor; professionals can refer online.', capacity: 'Waiting time about 2 weeks', checkedMonthsAgo: 1, place: ESSEX_PLACES.chelmsford, phone: '960106', schedule: WEEKDAYS, fees: 'Free' },
  { key: 'mid-parenting', name: 'Mid Essex Positive Parenting Group (5 to 11s)', description: 'An eight-week parenting programme for parents and carers of children aged 5 to 11: routines, boundaries, managing behaviour and staying calm. Crèche available.', organization: 'chelmer', levels: [1, 2], localities: ['mid'], categories: ['parenting'], ages: [5, 11], routes: ['self', 'professional'], howToRefer: 'Book yourself by phone or email, or a professional can refer with your consent.', capacity: 'Places available on the next course', checkedMonthsAgo: 1, place: ESSEX_PLACES.chelmsford, phone: '960107', schedule: { byday: 'WE', opens: '09:30:00', closes: '11:30:00', description: 'Wednesday mornings, 9:30 to 11:30, term time' }, fees: 'Free' },
  { key: 'braintree-parenting', name: 'Braintree Dads and Carers Group', description: 'A friendly Saturday group for dads and male carers of children aged 0 to 11, with play and parenting tips.', organization: 'chelmer', levels: [1], localities: ['mid'], categories: ['parenting', 'activities'], ages: [0, 11], routes: ['self'], howToRefer: 'Just come along, or call first.', capacity: 'Places available', checkedMonthsAgo: 18, place: ESSEX_PLACES.braintree, phone: '960108', schedule: { byday: 'SA', opens: '10:00:00', closes: '12:00:00', description: 'Saturday mornings, 10am to 12 noon' } },
  { key: 'ne-parenting', name: 'North East Essex Incredible Years Parenting', description: 'A 14-week group for parents of children aged 3 to 8 with challenging behaviour.', organization: 'vcs', levels: [2], localities: ['north-east'], categories: ['parenting'], ages: [3, 8], routes: ['professional'], howToRefer: 'A professional refers with the family’s consent.', capacity: 'Waiting list: next course in about 6 weeks', checkedMonthsAgo: 5, place: ESSEX_PLACES.colchester, phone: '960109' },
  { key: 'west-teens', name: 'West Essex Talking Teens parenting course', description: 'A course for parents and carers of teenagers: communication, conflict and keeping safe online.', organization: 'vcs', levels: [2], localities: ['west'], categories: ['parenting', 'youth'], ages: [11, 16], routes: ['self', 'professional'], howToRefer: 'Book by email or phone.', capacity: 'Places available', checkedMonthsAgo: 3, place: ESSEX_PLACES.harlow, phone: '960110' },
  { key: 'ewmhs', name: 'EWMHS: Emotional Wellbeing and Mental Health Service', description: 'Assessment and treatment for children and young people with emotional wellbeing and mental health difficulties such as anxiety, low mood and self-harm.', organization: 'nhs', levels: [2, 3], localities: ESSEX_ALL, categories: ['mental-health'], ages: [5, 18], routes: ['self', 'professional'], howToRefer: 'Young people 14 and over can refer themselves; parents and professionals can refer through the single point of access.', capacity: 'Waiting time about 8 weeks for assessment', checkedMonthsAgo: 2, place: ESSEX_PLACES.countyHall, phone: '960111', schedule: WEEKDAYS },
  { key: 'education-access', name: 'Education Access', description: 'Helps children back into education: attendance support, children missing education and elective home education advice.', organization: 'ecc', levels: [2], localities: ESSEX_ALL, categories: ['education'], ages: [5, 16], routes: ['professional'], howToRefer: 'The school or another professional refers.', capacity: null, checkedMonthsAgo: 7, place: ESSEX_PLACES.countyHall, phone: '960112' },
  { key: 'youth-work', name: 'Essex Youth Work Programmes', description: 'Youth clubs, detached youth work and targeted groups for young people, run by youth workers in every district.', organization: 'ecc', levels: [1, 2], localities: ESSEX_ALL, categories: ['youth', 'activities'], ages: [11, 19], routes: ['self', 'professional'], howToRefer: 'Young people can just turn up; professionals can refer for targeted groups.', capacity: 'Places available', checkedMonthsAgo: 4, place: ESSEX_PLACES.clacton, phone: '960113', schedule: { byday: 'TU,TH', opens: '18:00:00', closes: '21:00:00', description: 'Tuesday and Thursday evenings' } },
  { key: 'targeted-youth', name: 'Targeted Youth Advisors', description: 'One-to-one support for young people not in education, employment or training, or at risk of becoming so.', organization: 'ecc', levels: [2], localities: ESSEX_ALL, categories: ['youth', 'education'], ages: [13, 19], routes: ['self', 'professional'], howToRefer: 'Call or email the advisors; schools and colleges can refer.', capacity: 'Short wait', checkedMonthsAgo: 14, place: ESSEX_PLACES.basildon, phone: '960114' },
  { key: 'victims-gateway', name: 'Essex Victims Gateway', description: 'Free, confidential support for anyone affected by crime, including domestic abuse, whether or not it was reported to the police.', organization: 'vcs', levels: [2], localities: ESSEX_ALL, categories: ['domestic-abuse'], ages: [0, 99], routes: ['self', 'professional'], howToRefer: 'Call the gateway or refer online: anyone can refer.', capacity: null, checkedMonthsAgo: 2, place: null, phone: '960115', schedule: WEEKDAYS },
  { key: 'housing', name: 'District Housing Support', description: 'Housing advice from your district council: homelessness prevention, help to keep your tenancy and help with rent arrears.', organization: 'ecc', levels: [2], localities: ESSEX_ALL, categories: ['housing', 'money'], ages: [0, 99], routes: ['self', 'professional'], howToRefer: 'Contact your district council’s housing options team.', capacity: null, checkedMonthsAgo: 9, place: ESSEX_PLACES.basildon, phone: '960116' },
  { key: 'money-advice', name: 'South Essex Family Money Advice (demonstration)', description: 'Free advice on benefits, debt, energy bills and budgeting for families in South Essex.', organization: 'vcs', levels: [1, 2], localities: ['south'], categories: ['money', 'housing'], ages: [0, 99], routes: ['self', 'professional'], howToRefer: 'Drop in, phone or email.', capacity: 'Waiting time about 1 week', checkedMonthsAgo: 13, place: ESSEX_PLACES.basildon, phone: '960117' },
  { key: 'sen-local-offer', name: 'SEN Local Offer and SENDIASS advice', description: 'Information, advice and support for families of children with special educational needs and disabilities.', organization: 'ecc', levels: [1, 2], localities: ESSEX_ALL, categories: ['education'], ages: [0, 25], routes: ['self'], howToRefer: 'Call or email the advice line.', capacity: null, checkedMonthsAgo: 5, place: null, phone: '960118' },
  // Intensive (level 3)
  { key: 'family-solutions', name: 'Family Solutions', description: 'Intensive whole-family key work for families with several difficulties, such as school attendance, domestic abuse, mental health and worklessness.', organization: 'ecc', levels: [3], localities: ESSEX_ALL, categories: ['parenting', 'youth', 'housing'], ages: [0, 18], routes: ['request-for-support'], howToRefer: 'Through a request for support to the Children and Families Hub.', capacity: 'Allocated within 10 working days', checkedMonthsAgo: 1, place: ESSEX_PLACES.countyHall, phone: '960119' },
  // Specialist (level 4)
  { key: 'yos', name: 'Essex Youth Offending Service', description: 'Works with young people aged 10 to 17 who have offended or are at risk of offending, and their families.', organization: 'ecc', levels: [4], localities: ESSEX_ALL, categories: ['youth'], ages: [10, 17], routes: ['professional'], howToRefer: 'Through the police or courts, or a professional referral for prevention work.', capacity: null, checkedMonthsAgo: 6, place: ESSEX_PLACES.countyHall, phone: '960120' },
]

const SOUTHEND_ORGANIZATIONS: DemoOrganization[] = [
  { key: 'sbc', name: 'Southend-on-Sea City Council (demonstration record)', description: 'The council’s Early Help Family Support and Youth Offending Service. Demonstration record: contact details are fictional.', website: 'https://southend.example.org' },
  { key: 'estuary', name: 'Estuary Family Network (demonstration)', description: 'A fictional voluntary organisation running family and community projects in Southend.', website: 'https://estuary-network.example.org', ourOrganisation: 'Estuary Family Network (demonstration)' },
  { key: 'health', name: 'Southend health services (demonstration record)', description: 'Health visiting, midwifery and young people’s health. Demonstration record: contact details are fictional.', website: 'https://health-southend.example.org' },
]

const CITY = ['southend-city-wide']

const SOUTHEND_SERVICES: DemoService[] = [
  { key: 'early-help', name: 'Early Help Family Support', description: 'Whole-family support from a family support worker for families with emerging or complex needs, with youth workers, domestic abuse, drug and alcohol and young carers’ workers in the team.', organization: 'sbc', levels: [2, 3], localities: CITY, categories: ['parenting', 'youth', 'domestic-abuse'], ages: [0, 18], routes: ['request-for-support'], howToRefer: 'Through a request for support to the Early Help front door.', capacity: 'Allocated within 10 working days', checkedMonthsAgo: 1, place: SOUTHEND_PLACES.civic, phone: '960201', schedule: WEEKDAYS },
  { key: 'community-information', name: 'Community and Information Team (SHIP)', description: 'Information and signposting for families, help to find and get to community provision, and monthly keep-in-touch calls to check it met the need.', organization: 'sbc', levels: [1, 2], localities: CITY, categories: ['activities', 'money', 'housing'], ages: [0, 19], routes: ['self', 'professional'], howToRefer: 'Call or email the team; families can ask directly.', capacity: 'Places available', checkedMonthsAgo: 2, place: SOUTHEND_PLACES.civic, phone: '960202', schedule: WEEKDAYS },
  { key: 'childrens-centres', name: 'Children’s Centres', description: 'Stay and play, baby groups, infant feeding support and parenting advice for families with children under 5.', organization: 'health', levels: [1, 2], localities: CITY, categories: ['early-years', 'parenting'], ages: [0, 5], routes: ['self'], howToRefer: 'Just come along to any session.', capacity: 'Places available', checkedMonthsAgo: 3, place: SOUTHEND_PLACES.centre, phone: '960203', schedule: WEEKDAYS, fees: 'Free' },
  { key: 'a-better-start', name: 'A Better Start: early years programmes', description: 'Programmes for pregnant women and families with children under 4 on diet and nutrition, social and emotional development and communication and language.', organization: 'estuary', levels: [1], localities: CITY, categories: ['early-years', 'health'], ages: [0, 3], routes: ['self', 'professional'], howToRefer: 'Ask your midwife or health visitor, or contact the team.', capacity: null, checkedMonthsAgo: 16, place: SOUTHEND_PLACES.centre, phone: '960204' },
  { key: 'parenting-eha', name: 'Parenting programmes through the Early Help Advisor', description: 'Parenting programmes for parents whose needs may otherwise escalate, arranged through the Early Help Advisor for professionals coordinating early help plans.', organization: 'sbc', levels: [2], localities: CITY, categories: ['parenting'], ages: [0, 18], routes: ['professional'], howToRefer: 'The lead professional contacts the Early Help Advisor.', capacity: 'Next courses start in about 4 weeks', checkedMonthsAgo: 2, place: SOUTHEND_PLACES.leigh, phone: '960205' },
  { key: 'estuary-parents', name: 'Estuary Parents Together (5 to 11s)', description: 'A six-week group for parents and carers of primary school children on routines, behaviour and talking about feelings.', organization: 'estuary', levels: [1, 2], localities: CITY, categories: ['parenting'], ages: [5, 11], routes: ['self', 'professional'], howToRefer: 'Book by phone or email.', capacity: 'Places available', checkedMonthsAgo: 1, place: SOUTHEND_PLACES.leigh, phone: '960206', schedule: { byday: 'TH', opens: '13:00:00', closes: '15:00:00', description: 'Thursday afternoons in term time' } },
  { key: 'yos-prevention', name: 'Youth Offending Service: prevention', description: 'Early work with young people at risk of offending or anti-social behaviour, and their families.', organization: 'sbc', levels: [2, 3], localities: CITY, categories: ['youth'], ages: [8, 17], routes: ['professional'], howToRefer: 'A professional refers; the police can refer after a community resolution.', capacity: null, checkedMonthsAgo: 5, place: SOUTHEND_PLACES.civic, phone: '960207' },
  { key: 'young-carers', name: 'Young Carers Support', description: 'Assessment, respite activities and one-to-one support for children and young people who care for someone at home.', organization: 'estuary', levels: [2], localities: CITY, categories: ['youth', 'activities'], ages: [8, 18], routes: ['self', 'professional'], howToRefer: 'Young people, families or professionals can refer.', capacity: 'Short wait', checkedMonthsAgo: 14, place: SOUTHEND_PLACES.shoebury, phone: '960208' },
  { key: 'yp-mental-health', name: 'Young Person’s Mental Health Worker', description: 'Short-term one-to-one support for young people with low mood, anxiety or stress, within Early Help.', organization: 'sbc', levels: [2], localities: CITY, categories: ['mental-health', 'youth'], ages: [11, 18], routes: ['professional', 'request-for-support'], howToRefer: 'Through a request for support or the lead professional.', capacity: 'Waiting time about 3 weeks', checkedMonthsAgo: 2, place: SOUTHEND_PLACES.civic, phone: '960209' },
  { key: 'domestic-abuse', name: 'Domestic Abuse Support for Families', description: 'Safety planning and support for parents and children affected by domestic abuse.', organization: 'sbc', levels: [2, 3], localities: CITY, categories: ['domestic-abuse'], ages: [0, 99], routes: ['self', 'professional'], howToRefer: 'Call the team, or a professional can refer.', capacity: null, checkedMonthsAgo: 4, place: null, phone: '960210', schedule: WEEKDAYS },
  { key: 'connexions', name: 'Connexions: education, employment and training advice', description: 'Careers and education advice for young people aged 16 to 19, and up to 25 with special educational needs.', organization: 'sbc', levels: [1, 2], localities: CITY, categories: ['education', 'youth'], ages: [16, 19], routes: ['self', 'professional'], howToRefer: 'Drop in or book an appointment.', capacity: 'Places available', checkedMonthsAgo: 8, place: SOUTHEND_PLACES.civic, phone: '960211' },
]

function subtractMonths(date: Date, months: number): string {
  const d = new Date(Date.UTC(date.getUTCFullYear(), date.getUTCMonth() - months, Math.min(date.getUTCDate(), 28)))
  return d.toISOString().slice(0, 10)
}

function slug(text: string): string {
  return text.toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-|-$/g, '')
}

export const demoTaxonomyId = categoryTaxonomyId
export const demoTermId = categoryTermId

function term(tenantId: string, authorityName: string, category: (typeof DIRECTORY_CATEGORIES)[number]): OrukTaxonomyTerm {
  return {
    id: demoTermId(tenantId, category.id),
    name: category.name,
    description: category.description,
    code: category.id,
    taxonomy: `${authorityName} Effective Support Directory categories`,
    taxonomy_id: demoTaxonomyId(tenantId),
  }
}

/** The ORUK record of a demonstration service. */
function record(tenantId: string, authorityName: string, domain: string, organizations: DemoOrganization[], s: DemoService): OrukService {
  const id = (...parts: string[]) => stableUuid('demo-directory', tenantId, s.key, ...parts)
  const organization = organizations.find((o) => o.key === s.organization)
  if (!organization) throw new Error(`No demonstration organization ${s.organization}`)
  const email = `${slug(s.key)}@${domain}`
  const service: OrukService = {
    id: id('service'),
    name: s.name,
    description: s.description,
    url: `https://${domain}/${slug(s.key)}`,
    email,
    status: 'active',
    minimum_age: s.ages[0],
    maximum_age: s.ages[1],
    organization: {
      id: stableUuid('demo-directory', tenantId, 'organization', organization.key),
      name: organization.name,
      description: organization.description,
      website: organization.website,
      email: `enquiries@${new URL(organization.website).host}`,
    },
    contacts: [{ id: id('contact'), name: 'Duty team', title: s.name, email, phones: [{ id: id('phone'), number: `01632 ${s.phone}`, description: 'Fictional number (Ofcom drama range)' }] }],
    attributes: s.categories.map((category) => {
      const found = DIRECTORY_CATEGORIES.find((c) => c.id === category)
      if (!found) throw new Error(`Unknown category ${category}`)
      return { id: id('attribute', category), taxonomy_term_id: demoTermId(tenantId, category), link_type: 'category', taxonomy_term: term(tenantId, authorityName, found) }
    }),
  }
  if (s.fees) service.fees = s.fees
  if (s.schedule) {
    service.schedules = [{ id: id('schedule'), freq: 'WEEKLY', interval: 1, byday: s.schedule.byday, opens_at: s.schedule.opens, closes_at: s.schedule.closes, description: s.schedule.description }]
  }
  if (s.place) {
    service.service_at_locations = [{
      id: id('service-at-location'),
      location: {
        id: stableUuid('demo-directory', tenantId, 'location', s.place.name),
        location_type: 'physical',
        name: s.place.name,
        latitude: s.place.latitude,
        longitude: s.place.longitude,
        addresses: [{ id: stableUuid('demo-directory', tenantId, 'address', s.place.name), address_1: s.place.street, city: s.place.town, state_province: 'Essex', postal_code: s.place.postcode, country: 'GB', address_type: 'physical' }],
      },
    }]
  } else {
    service.service_areas = [{ id: id('area'), name: `${authorityName}: phone and online`, service_area: `Anyone living in ${authorityName}` }]
  }
  return service
}

const AUTHORITIES = [
  { tenantId: 'essex', name: 'Essex', domain: 'essex-directory.example.org', organizations: ESSEX_ORGANIZATIONS, services: ESSEX_SERVICES },
  { tenantId: 'southend', name: 'Southend-on-Sea', domain: 'southend-directory.example.org', organizations: SOUTHEND_ORGANIZATIONS, services: SOUTHEND_SERVICES },
]

/** The demonstration service records of an authority, with their extras (for tests and the loader). */
export function demoDirectory(tenantId: string, now: Date = new Date()): { service: OrukService; extras: ServiceExtras }[] {
  const authority = AUTHORITIES.find((a) => a.tenantId === tenantId)
  if (!authority) return []
  return authority.services.map((s) => ({
    service: record(authority.tenantId, authority.name, authority.domain, authority.organizations, s),
    extras: {
      levels: s.levels,
      localities: s.localities,
      categories: s.categories,
      referralRoutes: s.routes,
      howToRefer: s.howToRefer,
      capacity: s.capacity,
      lastCheckedOn: subtractMonths(now, s.checkedMonthsAgo),
    },
  }))
}

/** Loads each authority's demonstration directory once; a second start finds the seed run and does nothing. */
export async function loadDemoDirectory(db: Database, now: Date = new Date()): Promise<boolean> {
  const claimed = await db.system
    .insertInto('seed_runs')
    .values({ name: 'demo-directory' })
    .onConflict((oc) => oc.column('name').doNothing())
    .returning('name')
    .executeTakeFirst()
  if (!claimed) return false
  for (const authority of AUTHORITIES) {
    const exists = await db.system.selectFrom('tenants').select('id').where('id', '=', authority.tenantId).executeTakeFirst()
    if (!exists) continue
    await db.asTenant(authority.tenantId, async (trx) => {
      await saveTaxonomy(trx, authority.tenantId, {
        id: demoTaxonomyId(authority.tenantId),
        name: `${authority.name} Effective Support Directory categories`,
        description: `The categories ${authority.name}’s Effective Support Directory groups its services by.`,
        version: '1',
      })
      for (const { service, extras } of demoDirectory(authority.tenantId, now)) await saveService(trx, authority.tenantId, service, extras, null)
      // The provider organisations our service_provider accounts belong to edit their own services.
      for (const organization of authority.organizations) {
        if (!organization.ourOrganisation) continue
        const ours = await trx.selectFrom('organisations').select('id').where('name', '=', organization.ourOrganisation).executeTakeFirst()
        if (!ours) continue
        await trx
          .updateTable('directory_organizations')
          .set({ organisation_id: ours.id })
          .where('id', '=', stableUuid('demo-directory', authority.tenantId, 'organization', organization.key))
          .execute()
      }
    })
  }
  return true
}
