import assert from 'node:assert/strict';
import { checkFileName, FileTemplateError, renderFileName, slugify, templateValues } from '../../../src/core/revisions/fileTemplate';

const MEETING_TEMPLATE = '%(year)d_%(month).2d_%(day).2d_%(hour).2d%(minute).2d-%(rev)s_%(slug)s';

describe('file_template', () => {
  it('slugs messages as Alembic does, cutting at a word boundary (corpus file names)', () => {
    assert.equal(slugify('add meeting location and user is_active'), 'add_meeting_location_and_user_is_active');
    assert.equal(slugify('rename user_mappings to user_identity_mappings'), 'rename_user_mappings_to_user_identity_');
    assert.equal(slugify('backfill meeting status and seed system user'), 'backfill_meeting_status_and_seed_system_');
    assert.equal(slugify("Add user's e-mail (v2)"), 'add_user_s_e_mail_v2');
    assert.equal(slugify('café 日本語 x²'), 'café_日本語_x²');
    assert.equal(slugify('a'.repeat(50)), `${'a'.repeat(40)}_`, 'no underscore to cut at: keep 40 and add one');
    assert.equal(slugify('one two three', 5), 'one_');
    assert.equal(slugify('one two three', 0), 'one_two_three', '0 means the default 40');
    assert.equal(slugify(undefined), '');
  });

  it('renders the meeting-assistant template and the default one', () => {
    const values = templateValues('c095e22a82ce', 'rename user_mappings to user_identity_mappings', new Date(2026, 10, 25, 20, 24, 33));
    assert.equal(renderFileName(MEETING_TEMPLATE, values), '2026_11_25_2024-c095e22a82ce_rename_user_mappings_to_user_identity_.py');
    assert.equal(renderFileName('%(rev)s_%(slug)s', values), 'c095e22a82ce_rename_user_mappings_to_user_identity_.py');
    assert.equal(renderFileName('%(epoch)s_%(rev)s', { ...values, epoch: 1795 }), '1795_c095e22a82ce.py');
    assert.equal(renderFileName('%(second)02d%%-%(rev)5.3s|%(minute)-4d|', { ...values, second: 7 }), '07%-  c09|24  |.py');
    assert.throws(() => renderFileName('%(rev)s_%(author)s', values), FileTemplateError);
    assert.throws(() => renderFileName('%(rev)s_%s', values), /has no \(name\)/);
    assert.throws(() => renderFileName('%(slug)d', values), /needs a number/);
  });

  it('checks existing file names against the template', () => {
    assert.deepEqual(checkFileName(MEETING_TEMPLATE, '2026_11_25_2024-c095e22a82ce_rename_user_mappings_to_user_identity_.py', 'c095e22a82ce'), { matches: true });
    assert.equal(checkFileName(MEETING_TEMPLATE, 'c095e22a82ce_rename.py', 'c095e22a82ce').matches, false);
    assert.match(checkFileName(MEETING_TEMPLATE, '2026_11_25_2024-aaaaaaaaaaaa_x.py', 'c095e22a82ce').reason ?? '', /does not contain the revision id/);
    assert.equal(checkFileName('%(rev)s_%(slug)s', 'custom_id_.py', 'custom_id').matches, true);
    assert.equal(checkFileName('%(rev)s_%(slug)s', '2026_custom_id_x.py', 'custom_id').matches, false);
  });
});
