// shell.openExternal only ever gets https links to the allow-listed hosts.
import { describe, expect, it } from 'vitest';
import { EXTERNAL_LINK_HOSTS, isAllowedExternalLink } from './external-links';

describe('isAllowedExternalLink', () => {
  it('allows https links to the listed hosts', () => {
    expect(EXTERNAL_LINK_HOSTS).toContain('knexjs.org');
    expect(isAllowedExternalLink('https://knexjs.org/guide/migrations.html')).toBe(true);
    expect(isAllowedExternalLink('https://www.postgresql.org/docs/current/explicit-locking.html#LOCKING-TABLES')).toBe(true);
  });

  it('refuses other hosts, look-alikes, other schemes, credentials and ports', () => {
    for (const url of [
      'https://evil.example/',
      'https://knexjs.org.evil.example/',
      'https://evilknexjs.org/',
      'https://postgresql.org/',
      'http://knexjs.org/',
      'file:///etc/passwd',
      'javascript:alert(1)',
      'smb://knexjs.org/share',
      'https://user:pw@knexjs.org/',
      'https://knexjs.org:8443/',
      'not a url',
      '',
    ]) {
      expect(isAllowedExternalLink(url), url).toBe(false);
    }
  });
});
