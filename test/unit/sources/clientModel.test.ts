import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ageText, confirmationTargets, secretStorageKey, sqlTarget } from '../../../client/src/sources/model';
import { configOf } from './helpers';

test('VS Code: what the user confirms, and where secrets are stored', () => {
  const rest = configOf('type: rest\nurl: https://hr.example.com:8443/api/people?x=1\nauth:\n  type: oauth2\n  tokenUrl: https://login.example.com/token\n  clientIdEnv: A\n  clientSecretEnv: B');
  assert.deepEqual(confirmationTargets(rest), ['https://hr.example.com:8443', 'https://login.example.com']);
  assert.equal(secretStorageKey(rest, 'B'), 'scimmap.source:https://hr.example.com:8443:B');
  const other = configOf('type: rest\nurl: https://evil.example.net/api\nauth:\n  type: bearer\n  tokenEnv: B');
  assert.notEqual(secretStorageKey(other, 'B'), secretStorageKey(rest, 'B'), 'a secret for one host is never offered to another');
  const sql = configOf('type: sql\ndriver: postgres\nconnectionEnv: DB\nquery: SELECT 1');
  assert.deepEqual(confirmationTargets(sql, 'postgresql://u:pw@db.example.com:5432/hr'), ['postgres://db.example.com:5432/hr']);
  assert.equal(sqlTarget('mssql', 'Server=tcp:sql.example.com,1433;Database=hr;User Id=ro;Password=pw'), 'mssql://tcp:sql.example.com,1433/hr');
  assert.doesNotMatch(sqlTarget('mssql', 'Server=s;Password=pw'), /pw/);
});

test('VS Code: snapshot age text', () => {
  assert.equal(ageText(5_000), 'just now');
  assert.equal(ageText(5 * 60_000), '5 min ago');
  assert.equal(ageText(3 * 3_600_000), '3 h ago');
  assert.equal(ageText(86_400_000), '1 day ago');
  assert.equal(ageText(3 * 86_400_000), '3 days ago');
});
