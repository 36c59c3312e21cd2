import { createTestContext, type TestContext } from '../../test/context.ts'

/** A test context for the outbox: the notifications migration runs with the others. */
export function createOutboxTestContext(options: { demoData?: boolean } = {}): Promise<TestContext> {
  return createTestContext(options)
}
