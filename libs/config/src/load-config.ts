import { z } from 'zod';

/** A configuration problem found at boot: the message names every variable at fault. */
export class ConfigError extends Error {
  constructor(
    readonly app: string,
    readonly problems: string[],
  ) {
    super(`${app}: invalid configuration\n  ${problems.join('\n  ')}`);
    this.name = 'ConfigError';
  }
}

/** Validates the environment against an app's schema; throws a ConfigError naming each bad variable. */
export function loadConfig<S extends z.ZodType>(app: string, schema: S, env: NodeJS.ProcessEnv = process.env): z.infer<S> {
  const result = schema.safeParse(env);
  if (result.success) return result.data;
  const problems = result.error.issues.map((issue) => {
    const name = issue.path.join('.') || '(environment)';
    const present = typeof issue.path[0] === 'string' && env[issue.path[0]] !== undefined;
    return `${name}: ${present ? issue.message : 'is required but not set'}`;
  });
  throw new ConfigError(app, problems);
}

/** Boot helper: load the config or stop the process with the reason on stderr (never the values). */
export function loadConfigOrExit<S extends z.ZodType>(app: string, schema: S): z.infer<S> {
  try {
    return loadConfig(app, schema);
  } catch (error) {
    if (error instanceof ConfigError) {
      process.stderr.write(`${error.message}\n`);
      process.exit(78); // EX_CONFIG
    }
    throw error;
  }
}
