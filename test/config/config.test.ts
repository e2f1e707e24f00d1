import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../../src/config.ts';

const problemsOf = (env: Record<string, string>): string[] => {
  try {
    loadConfig(env);
  } catch (error) {
    if (error instanceof ConfigError) return error.problems;
    throw error;
  }
  throw new Error('accepted');
};

describe('configuration errors', () => {
  it('each bad variable is named with its value and an example of a good one', () => {
    expect(problemsOf({ PORT: 'abc' })).toEqual(['PORT: not a number (given "abc"); for example PORT=3000']);
    expect(problemsOf({ LOG_LEVEL: 'loud' })).toEqual(['LOG_LEVEL: must be one of fatal, error, warn, info, debug, trace, silent (given "loud"); for example LOG_LEVEL=info']);
    expect(problemsOf({ REDIS_URL: 'localhost:6379' })).toEqual(['REDIS_URL: must start with redis:// or rediss:// (given "localhost:6379"); for example REDIS_URL=redis://127.0.0.1:6379']);
  });

  it('a secret is never repeated, only its length', () => {
    expect(problemsOf({ STAFF_PASSWORD: 'hunter2', STAFF_USER: 'support' })[0]).toMatch(/^STAFF_PASSWORD: must be at least 12 characters.* \(given 7 characters\); for example/);
  });

  it('all of them at once', () => {
    const problems = problemsOf({ PORT: '70000', SMTP_PORT: 'x', RATE_LIMIT_MESSAGES: '-1', PUBLIC_URL: 'ftp://x' });
    expect(problems.map((p) => p.split(':')[0])).toEqual(['PORT', 'PUBLIC_URL', 'RATE_LIMIT_MESSAGES', 'SMTP_PORT']);
    expect(problems.join('\n')).toContain('for example SMTP_PORT=587');
    expect(problems.join('\n')).toContain('for example PUBLIC_URL=https://chat.owari.ne.jp');
  });
});
