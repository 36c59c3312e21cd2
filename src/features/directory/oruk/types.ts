/**
 * The Open Referral UK 3.0 records the directory reads and writes, as in the profile's
 * schema/compiled/*.json (JSON Schema 2020-12; every field but the required ones is optional).
 * The schemas allow extra fields, so an imported record may carry more than these types name:
 * the store keeps whatever it was given. `phones` on contacts and locations are HSDS 3.0 parts the
 * UK profile's compiled service leaves out but allows (phone.json, linked by contact_id).
 */

export type OrukStatus = 'active' | 'inactive' | 'defunct' | 'temporarily closed'
export type OrukLocationType = 'physical' | 'postal' | 'virtual'

export interface OrukTaxonomyTerm {
  id: string
  name: string
  description: string
  parent_id?: string
  /** Free text naming an established taxonomy, or its URI. */
  taxonomy?: string
  taxonomy_id?: string
  term_uri?: string
  term?: string
  [extra: string]: unknown
}

export interface OrukTaxonomy {
  id: string
  name: string
  description: string
  uri?: string
  version?: string
  taxonomy_terms?: OrukTaxonomyTerm[]
  [extra: string]: unknown
}

export interface OrukAttribute {
  id: string
  link_id?: string
  taxonomy_term_id?: string
  link_type?: string
  taxonomy_term?: OrukTaxonomyTerm
  [extra: string]: unknown
}

export interface OrukLanguage {
  id: string
  service_id?: string
  phone_id?: string
  /** Not in the UK profile's language.json (which has only ids), but HSDS 3.0 has them. */
  name?: string
  code?: string
  note?: string
  [extra: string]: unknown
}

export interface OrukPhone {
  id: string
  contact_id?: string
  number: string
  description?: string
  languages?: OrukLanguage[]
  [extra: string]: unknown
}

export interface OrukContact {
  id: string
  service_id?: string
  name?: string
  title?: string
  attributes?: OrukAttribute[]
  /** Extra to the UK profile's compiled service (allowed): HSDS 3.0 nests phones in contacts. */
  phones?: OrukPhone[]
  /** Extra to the UK profile (allowed): HSDS 3.0 contact email. */
  email?: string
  [extra: string]: unknown
}

export interface OrukSchedule {
  id: string
  service_id?: string
  service_at_location_id?: string
  valid_from?: string
  valid_to?: string
  dtstart?: string
  freq?: 'WEEKLY' | 'MONTHLY'
  interval?: number
  byday?: string
  bymonthday?: string
  description?: string
  opens_at?: string
  closes_at?: string
  schedule_link?: string
  attending_type?: string
  notes?: string
  [extra: string]: unknown
}

export interface OrukServiceArea {
  id: string
  service_id?: string
  name?: string
  extent?: string
  extent_type?: string
  uri?: string
  service_area?: string
  [extra: string]: unknown
}

export interface OrukCostOption {
  id: string
  service_id?: string
  valid_from?: string
  valid_to?: string
  option?: string
  amount?: number
  amount_description?: string
  [extra: string]: unknown
}

export interface OrukFunding {
  id: string
  service_id?: string
  source?: string
  [extra: string]: unknown
}

export interface OrukAddress {
  id: string
  location_id?: string
  attention?: string
  address_1: string
  city: string
  region?: string
  state_province: string
  postal_code: string
  country: string
  address_type: OrukLocationType
  attributes?: OrukAttribute[]
  [extra: string]: unknown
}

export interface OrukAccessibility {
  id: string
  location_id?: string
  description?: string
  details?: string
  url?: string
  accessibility?: string
  attributes?: OrukAttribute[]
  [extra: string]: unknown
}

export interface OrukLocation {
  id: string
  location_type: OrukLocationType
  name?: string
  description?: string
  latitude?: number
  longitude?: number
  external_identifier?: string
  external_identifier_type?: string
  addresses?: OrukAddress[]
  accessibility?: OrukAccessibility[]
  attributes?: OrukAttribute[]
  /** Extra to the UK profile (allowed). */
  phones?: OrukPhone[]
  [extra: string]: unknown
}

export interface OrukOrganizationIdentifier {
  id: string
  organization_id?: string
  identifier_scheme?: string
  identifier_type: string
  identifier: string
  attributes?: OrukAttribute[]
  [extra: string]: unknown
}

export interface OrukOrganization {
  id: string
  name: string
  description: string
  email?: string
  website?: string
  logo?: string
  uri?: string
  parent_organization_id?: string
  organization_identifiers?: OrukOrganizationIdentifier[]
  attributes?: OrukAttribute[]
  [extra: string]: unknown
}

/** A service's link to a place, with the place. */
export interface OrukServiceAtLocation {
  id: string
  service_id?: string
  location_id?: string
  location?: OrukLocation
  /** Present in /service_at_locations responses, not inside a service. */
  service?: OrukServiceBrief
  [extra: string]: unknown
}

export interface OrukService {
  id: string
  organization_id?: string
  name: string
  description?: string
  url?: string
  email?: string
  status: OrukStatus
  fees?: string
  accreditations?: string
  minimum_age?: number
  maximum_age?: number
  assured_date?: string
  assurer_email?: string
  alert?: string
  last_modified?: string
  schedules?: OrukSchedule[]
  service_areas?: OrukServiceArea[]
  service_at_locations?: OrukServiceAtLocation[]
  languages?: OrukLanguage[]
  organization?: OrukOrganization
  funding?: OrukFunding[]
  cost_options?: OrukCostOption[]
  contacts?: OrukContact[]
  attributes?: OrukAttribute[]
  [extra: string]: unknown
}

/** The one-to-one fields of a service plus its organization (compiled/service_list.json). */
export type OrukServiceListItem = Pick<OrukService, 'id' | 'name' | 'status'> &
  Partial<Pick<OrukService, 'organization_id' | 'description' | 'url' | 'email' | 'fees' | 'accreditations' | 'minimum_age' | 'maximum_age' | 'assured_date' | 'assurer_email' | 'alert' | 'last_modified' | 'organization'>>

/** A service without its service_at_locations, as nested in a service_at_location. */
export type OrukServiceBrief = Omit<OrukService, 'service_at_locations'>

/** The Page envelope of list responses (openapi.json components.schemas.Page) with its contents. */
export interface OrukPage<T> {
  total_items: number
  total_pages: number
  page_number: number
  size: number
  first_page: boolean
  last_page: boolean
  empty: boolean
  contents: T[]
}
