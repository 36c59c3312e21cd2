// Imports Open Referral UK services into an authority's directory:
//
//   npm run directory:import -- --authority essex FILE.json     (a service, an array, or a page of services)
//   npm run directory:import -- --authority essex FOLDER        (HSDS tabular CSV files)
//
// Each service is validated against the profile's compiled/service.json; rejected records are
// listed with the reasons. Importing the same data again changes nothing. Stop the server first
// when it uses the embedded database.
import { importCommand, run } from '../src/features/directory/oruk/cli.ts'

run((args) => importCommand(args))
