import type { SemanticModel } from './semantic';

/**
 * Unit-test code, as pytest finds it: the files it collects by default (`python_files`:
 * `test_*.py`, `*_test.py`, plus `conftest.py`), and any module that imports a test framework.
 * Only the file's name is read, never its folders: an absolute path's folders are the user's, not
 * the project's.
 */
const TEST_FILE_NAME = /(^|[\\/])(test_[^\\/]*|[^\\/]*_test|conftest)\.py$/;
const TEST_FRAMEWORKS: readonly string[] = ['pytest', 'unittest'];

/** `path` names a file pytest collects tests from (or its `conftest.py`). */
export function isTestFileName(path: string): boolean {
  return TEST_FILE_NAME.test(path);
}

/** The module is unit-test code: its file name says so, or it imports `pytest` or `unittest`. */
export function isTestModule(model: SemanticModel, path: string): boolean {
  return isTestFileName(path) || model.seenAnyModule(TEST_FRAMEWORKS);
}
