import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../../../test/support/databases.js';
import { makeAppDeps } from '../../../test/support/sessions.js';
import { documentsDepsOf } from '../../app/modules.js';
import { Role, systemActor } from '../access/index.js';
import { createDocumentsService } from '../documents/index.js';
import { seedDemo } from './index.js';

describe('demo documents', () => {
  let t: TestDatabase;
  beforeEach(async () => {
    t = await createTestDatabase('sqlite');
  });
  afterEach(() => t.dispose());

  it('files a discharge summary PDF per stay, a progress note and a scanned consent, searchable', async () => {
    const deps = makeAppDeps(t, { config: { documentsDir: path.join(os.tmpdir(), `custodian-demo-docs-${process.pid}`) } });
    const r = await seedDemo(deps, { patients: 3 });
    const docs = await t.db.selectFrom('documents').select(['type_code', 'status']).execute();
    // Discharge summaries need the attending's co-signature (document type DS): signed by the author, awaiting it.
    expect(await t.db.selectFrom('document_signatures').select('role').execute()).toHaveLength(r.encounters);
    // One progress note per patient, and the two unsigned ones chart completion's demo leaves in the physician's inbox.
    expect(docs.filter((d) => d.type_code === 'PN')).toHaveLength(3 + 2);
    expect(docs.filter((d) => d.type_code === 'DS')).toHaveLength(r.encounters);
    expect(docs.filter((d) => d.type_code === 'CONSENT')).toHaveLength(3);
    const service = createDocumentsService(documentsDepsOf(deps));
    const hits = await service.search({ ...systemActor('test'), role: Role.himDirector }, { words: 'discharge follow primary care' });
    expect(hits.hits.length).toBe(r.encounters);
  }, 120_000);
});
