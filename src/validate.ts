import type { StandardSchemaV1 } from '@standard-schema/spec';
import { DocketError, type FieldIssue } from './errors.js';
import type { Task } from './task.js';

function pathOf(issue: StandardSchemaV1.Issue): string {
  return (issue.path ?? [])
    .map((segment) => (typeof segment === 'object' && segment !== null ? segment.key : segment))
    .map(String)
    .join('.');
}

/**
 * Validates `input` against the task's schema (any Standard Schema
 * validator) and returns the validated value. Throws DOCKET_INVALID_INPUT
 * naming each field that failed.
 */
export async function validateInput<I>(task: Task<I, unknown>, input: unknown): Promise<I> {
  if (!task.input) return input as I;
  let result = task.input['~standard'].validate(input);
  if (result instanceof Promise) result = await result;
  if (result.issues) {
    const issues: FieldIssue[] = result.issues.map((issue) => ({
      path: pathOf(issue),
      message: issue.message,
    }));
    const summary = issues.map((i) => (i.path ? `${i.path}: ${i.message}` : i.message)).join('; ');
    throw new DocketError('DOCKET_INVALID_INPUT', `invalid input for task "${task.name}": ${summary}`, {
      details: { task: task.name, issues },
    });
  }
  return result.value;
}

/**
 * Serialises a job input or result to JSON text, refusing values that JSON
 * cannot carry faithfully and texts over `maxBytes`.
 */
export function toJsonText(value: unknown, field: string, maxBytes: number): string {
  let text: string | undefined;
  try {
    text = JSON.stringify(value === undefined ? null : value);
  } catch (cause) {
    throw new DocketError(
      'DOCKET_INVALID_INPUT',
      `${field} is not JSON-serialisable: ${(cause as Error).message}`,
      {
        cause,
        details: { field },
      },
    );
  }
  if (text === undefined) {
    throw new DocketError('DOCKET_INVALID_INPUT', `${field} is not JSON-serialisable`, {
      details: { field },
    });
  }
  const bytes = Buffer.byteLength(text);
  if (bytes > maxBytes) {
    throw new DocketError(
      'DOCKET_PAYLOAD_TOO_LARGE',
      `${field} is ${bytes} bytes as JSON, over the limit of ${maxBytes}; store large data elsewhere and pass a reference`,
      { details: { field, bytes, limit: maxBytes } },
    );
  }
  return text;
}
