// Exports an authority's directory in the Open Referral UK formats:
//
//   npm run directory:export -- --authority essex --format json OUT.json   (an array of full services)
//   npm run directory:export -- --authority essex --format csv OUT-FOLDER  (HSDS tabular CSV files)
import { exportCommand, run } from '../src/features/directory/oruk/cli.ts'

run((args) => exportCommand(args))
