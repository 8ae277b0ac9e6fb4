/**
 * Schema validation: the calls that check a value against a declared shape and raise on a
 * mismatch. Used by `unvalidated-request-payload`, `unvalidated-llm-output` and the readiness
 * items on input and LLM-output validation.
 */

/** Pydantic (v1 and v2) and `TypeAdapter` methods that validate a value or JSON text. */
export const PYDANTIC_VALIDATION_METHODS: readonly string[] = [
  'model_validate',
  'model_validate_json',
  'parse_obj',
  'parse_raw',
  'validate_python',
  'validate_json',
];

/** Module functions that validate a value against a schema or build a typed value from it. */
export const SCHEMA_VALIDATION_FUNCTIONS: readonly string[] = [
  'jsonschema.validate',
  'pydantic.parse_obj_as',
  'pydantic.TypeAdapter',
  'cattrs.structure',
  'dacite.from_dict',
  'fastjsonschema.validate',
];
