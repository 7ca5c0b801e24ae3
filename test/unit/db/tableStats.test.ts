import assert from 'node:assert/strict';
import { describeTableSize, formatBytes, formatCount, formatTableSize } from '../../../src/core/db/tableStats';

describe('formatTableSize', () => {
  it('reads like "~2.3M rows, 1.1 GB"', () => {
    assert.equal(formatTableSize({ estimatedRows: 2_300_000, totalBytes: 1.1 * 1024 ** 3 }), '~2.3M rows, 1.1 GB');
    assert.equal(formatTableSize({ estimatedRows: 200_000, totalBytes: 17 * 1024 ** 2 }), '~200k rows, 17 MB');
    assert.equal(formatTableSize({ estimatedRows: 0, totalBytes: 8192 }), '~0 rows, 8 kB');
    assert.equal(formatTableSize({ estimatedRows: undefined, totalBytes: 16 * 1024 ** 2 }), '16 MB, rows unknown (never analysed)');
  });
  it('names the table, with its schema when not public', () => {
    assert.equal(describeTableSize({ schema: 'public', table: 'meetings', estimatedRows: 2_300_000, totalBytes: 1.1 * 1024 ** 3 }), 'meetings: ~2.3M rows, 1.1 GB');
    assert.equal(describeTableSize({ schema: 'archive', table: 'meetings', estimatedRows: 10, totalBytes: 8192 }), 'archive.meetings: ~10 rows, 8 kB');
  });
  it('rounds counts and sizes sensibly', () => {
    assert.equal(formatCount(999), '999');
    assert.equal(formatCount(999_700), '1M');
    assert.equal(formatCount(1_250), '1.3k');
    assert.equal(formatCount(12_345_678_901), '12B');
    assert.equal(formatBytes(0), '0 bytes');
    assert.equal(formatBytes(1023), '1023 bytes');
    assert.equal(formatBytes(1536), '1.5 kB');
    assert.equal(formatBytes(5 * 1024 ** 4), '5 TB');
  });
});
