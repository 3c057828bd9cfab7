import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { didYouMean, editDistance } from '../../../src/engine/scim';

describe('editDistance', () => {
  it('counts edits case-insensitively, adjacent swaps as one', () => {
    assert.equal(editDistance('userName', 'username'), 0);
    assert.equal(editDistance('', 'abc'), 3);
    assert.equal(editDistance('kitten', 'sitting'), 3);
    assert.equal(editDistance('dispalyName', 'displayName'), 1);
    assert.equal(editDistance('ab', 'ba'), 1);
    assert.equal(editDistance('ca', 'abc'), 3); // optimal string alignment, not unrestricted
  });
});

describe('didYouMean', () => {
  const names = ['userName', 'name', 'displayName', 'nickName', 'title', 'userType', 'emails'];
  it('ranks by distance and keeps the input order for ties', () => {
    assert.deepEqual(didYouMean('usrName', names), ['userName']);
    assert.deepEqual(didYouMean('USERNAME', names), ['userName']);
    assert.deepEqual(didYouMean('nme', names), ['name']);
    assert.deepEqual(didYouMean('tilte', names), ['title']);
    assert.deepEqual(didYouMean('nam', ['name', 'nag', 'ham']), ['name', 'nag', 'ham']);
  });
  it('returns at most 5 and nothing far away', () => {
    assert.deepEqual(didYouMean('zzzzzz', names), []);
    assert.equal(didYouMean('a', ['b', 'c', 'd', 'e', 'f', 'g', 'h']).length, 5);
    assert.deepEqual(didYouMean('a', ['b', 'c'], { max: 1 }), ['b']);
    assert.deepEqual(didYouMean('abcdef', ['abcxyz'], { maxDistance: 3 }), ['abcxyz']);
  });
});
