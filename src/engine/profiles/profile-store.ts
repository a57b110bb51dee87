/**
 * Saved connection profiles in `<dataDir>/profiles.json`. Writes are atomic (temp file + rename),
 * reads are validated against the `Profile` schema, and a file that does not validate is reported,
 * never silently replaced. Profiles carry no passwords: the schema has no field for one and a URL
 * with a password in it is refused.
 */
import { randomBytes } from 'node:crypto';
import { mkdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { z } from 'zod';
import { Profile, type ProfileInput } from '../../shared/profile';
import { urlHasPassword } from '../connection/postgres-url';
import { StepstoneError, messageOf } from '../errors';
import type { SerialWrites } from '../serial-writes';

const ProfilesFile = z.object({ version: z.literal(1), profiles: z.array(Profile) });

/** The file holding a data folder's profiles. */
export function profilesFilePath(dataDir: string): string {
  return join(dataDir, 'profiles.json');
}

async function readProfilesFile(file: string): Promise<Profile[]> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw new StepstoneError('CONFIG_INVALID', `Cannot read the profiles file ${file}: ${messageOf(error)}`, { cause: error });
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    throw corrupt(file, `it is not valid JSON (${messageOf(error)})`, error);
  }
  const parsed = ProfilesFile.safeParse(json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw corrupt(file, `${issue.path.join('.') || 'the file'}: ${issue.message}`, parsed.error);
  }
  return parsed.data.profiles;
}

function corrupt(file: string, why: string, cause: unknown): StepstoneError {
  return new StepstoneError('CONFIG_INVALID', `The profiles file ${file} is damaged: ${why}. It was left untouched.`, {
    hint: 'Fix the file by hand, or move it away to start with no saved profiles (Stepstone will not overwrite it).',
    cause,
  });
}

/** Write the whole list: a temporary file in the same folder, then a rename over the old one. */
async function writeProfilesFile(dataDir: string, profiles: Profile[]): Promise<void> {
  await mkdir(dataDir, { recursive: true });
  const file = profilesFilePath(dataDir);
  const temp = `${file}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`;
  const body = `${JSON.stringify({ version: 1, profiles }, null, 2)}\n`;
  try {
    await writeFile(temp, body, { mode: 0o600, flush: true });
    await rename(temp, file);
  } catch (error) {
    await rm(temp, { force: true }).catch(() => {});
    throw new StepstoneError('CONFIG_INVALID', `Cannot save profiles to ${file}: ${messageOf(error)}`, {
      hint: 'Check that the data folder is writable (or set STEPSTONE_HOME to another folder).',
      cause: error,
    });
  }
}

/** All saved profiles, in the order they were first saved; CONFIG_INVALID if the file is damaged. */
export async function listProfiles(dataDir: string): Promise<Profile[]> {
  return readProfilesFile(profilesFilePath(dataDir));
}

/** One saved profile, or undefined. */
export async function getProfile(dataDir: string, id: string): Promise<Profile | undefined> {
  return (await listProfiles(dataDir)).find((p) => p.id === id);
}

/**
 * Insert or replace (by id) a profile; validated, unknown fields (a stray `password`) dropped. Returns
 * what was stored. `writes` (the engine context's) puts concurrent changes of the file one after another.
 */
export async function saveProfile(dataDir: string, input: ProfileInput, writes: SerialWrites): Promise<Profile> {
  const parsed = Profile.safeParse(input);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new StepstoneError('INVALID_INPUT', `The profile is not valid: ${issue.path.join('.') || 'profile'}: ${issue.message}.`, {
      hint: 'Correct that field and save again.',
    });
  }
  const profile = parsed.data;
  if (profile.url !== undefined && urlHasPassword(profile.url)) {
    throw new StepstoneError('INVALID_INPUT', `The URL of "${profile.name}" contains a password, and profiles never store passwords.`, {
      hint: 'Remove the password from the URL and keep it in the keychain, an environment variable, or enter it when asked.',
    });
  }
  const file = profilesFilePath(dataDir);
  return writes.run(file, async () => {
    const profiles = await readProfilesFile(file);
    const at = profiles.findIndex((p) => p.id === profile.id);
    if (at >= 0) profiles[at] = profile;
    else profiles.push(profile);
    await writeProfilesFile(dataDir, profiles);
    return profile;
  });
}

/** Remove a saved profile; false when there was none with that id. */
export async function deleteProfile(dataDir: string, id: string, writes: SerialWrites): Promise<boolean> {
  const file = profilesFilePath(dataDir);
  return writes.run(file, async () => {
    const profiles = await readProfilesFile(file);
    const kept = profiles.filter((p) => p.id !== id);
    if (kept.length === profiles.length) return false;
    await writeProfilesFile(dataDir, kept);
    return true;
  });
}
