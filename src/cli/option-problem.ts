// parseArgs' errors as one line of our own, shared by the admin and client command lines.

/** parseArgs' own messages suggest `--` and quoting; ours name the option and stop. */
export function optionProblem(err: unknown): string {
  const { code, message = "" } = err as { code?: string; message?: string };
  const option = /'(--?[A-Za-z][\w-]*)/.exec(message)?.[1];
  if (option === undefined) return message;
  if (code === "ERR_PARSE_ARGS_UNKNOWN_OPTION") return `unknown option: ${option}`;
  if (message.includes("does not take an argument")) return `option ${option} takes no value`;
  return `option ${option} needs a value`;
}
