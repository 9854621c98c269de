/**
 * openStore(url): the configuration's `store` key to a store. SQLite URLs in their spellings,
 * errors naming the scheme, and no password in any message (PostgreSQL URLs are opened for real
 * in postgres.test.ts; here only what fails before a connection).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { inspect } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';
import { ErrorCode, isSwitchboardError, type SwitchboardError } from '../../../src/core/index.js';
import { SqliteStore, openStore, redactUrl } from '../../../src/sinks/log/index.js';
import { minimalRecord } from '../../../src/testing/index.js';

const dir = mkdtempSync(join(tmpdir(), 'switchboard-open-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

async function failure(url: string): Promise<SwitchboardError> {
  try {
    const store = await openStore(url);
    await store.close();
  } catch (err) {
    expect(isSwitchboardError(err), String(err)).toBe(true);
    return err as SwitchboardError;
  }
  throw new Error(`openStore(${url}) should have failed`);
}

describe('openStore', () => {
  it('sqlite::memory: is a fresh in-memory store each time', async () => {
    const a = await openStore('sqlite::memory:');
    const b = await openStore('SQLITE::memory:');
    try {
      expect(a).toBeInstanceOf(SqliteStore);
      expect((a as SqliteStore).path).toBe(':memory:');
      expect(await a.save(minimalRecord('m-1'))).toBe('inserted');
      expect(await b.count()).toBe(0);
    } finally {
      await a.close();
      await b.close();
    }
  });

  it('sqlite:<path> and sqlite://<path> open the same file', async () => {
    const path = join(dir, 'a', 'log.db');
    const one = await openStore(`sqlite:${path}`);
    expect((one as SqliteStore).path).toBe(path);
    await one.save(minimalRecord('f-1'));
    await one.close();
    const two = await openStore(`sqlite://${path}`);
    expect((two as SqliteStore).path).toBe(path);
    expect(await two.get('f-1')).toStrictEqual(minimalRecord('f-1'));
    await two.close();
  });

  it('a sqlite URL without a path is refused', async () => {
    for (const url of ['sqlite:', 'sqlite://']) {
      const err = await failure(url);
      expect(err.code).toBe(ErrorCode.INVALID_ARGUMENT);
      expect(err.message).toContain('names no file');
    }
  });

  it('an unsupported scheme is named, and a password in the URL is never shown', async () => {
    const cases: [string, string][] = [
      ['mysql://root:Hunter2-secret@db.example.com/logs', '"mysql:"'],
      ['mongodb+srv://u:Hunter2-secret@cluster0.example.net/x', '"mongodb+srv:"'],
      ['file:/var/lib/switchboard.db', '"file:"'],
      ['redis://:Hunter2-secret@cache:6379', '"redis:"'],
      ['./data/switchboard.db', 'no scheme'],
      ['//u:Hunter2-secret@host/db', 'no scheme'],
    ];
    for (const [url, named] of cases) {
      const err = await failure(url);
      expect(err.code, url).toBe(ErrorCode.INVALID_ARGUMENT);
      expect(err.message, url).toContain(`unsupported store URL scheme ${named}`);
      expect(err.message).toContain('sqlite:<path>');
      expect(`${err.message}${JSON.stringify(err.toJSON())}${inspect(err)}`, url).not.toContain('Hunter2');
    }
    await expect(openStore('')).rejects.toMatchObject({ code: ErrorCode.INVALID_ARGUMENT });
  });

  it('a malformed PostgreSQL URL is refused without showing its password', async () => {
    const err = await failure('postgres://admin:Hunter2-secret@[not-a-host/db');
    expect(err.code).toBe(ErrorCode.INVALID_ARGUMENT);
    expect(err.message).toContain('postgres://admin:***@');
    expect(`${err.message}${JSON.stringify(err.toJSON())}${inspect(err, { depth: 5 })}`).not.toContain('Hunter2');
  });
});

describe('redactUrl', () => {
  it.each([
    ['postgres://u:secret@h:5432/db', 'postgres://u:***@h:5432/db'],
    ['postgresql://u:s%40cret@h/db?sslmode=require', 'postgresql://u:***@h/db?sslmode=require'],
    ['postgres://u:p@ss/w#rd@h/db', 'postgres://u:***@h/db'],
    ['postgres://:secret@h/db', 'postgres://:***@h/db'],
    ['postgres://u@h/db', 'postgres://u@h/db'],
    ['postgres://h/db?user=u&password=secret&sslmode=require', 'postgres://h/db?user=u&password=***&sslmode=require'],
    ['postgres://h/db?PASSWORD=secret', 'postgres://h/db?PASSWORD=***'],
    ['sqlite:./data/switchboard.db', 'sqlite:./data/switchboard.db'],
    ['sqlite::memory:', 'sqlite::memory:'],
  ])('%s → %s', (url, expected) => {
    expect(redactUrl(url)).toBe(expected);
    expect(redactUrl(url)).not.toMatch(/secret|s%40cret|p@ss/);
  });
});
