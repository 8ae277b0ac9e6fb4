/**
 * The one SARIF 2.1.0 writer: `check` (findings) and `readiness` (open checklist items) describe
 * their rules and results, and this module writes the log GitHub code scanning and other viewers read.
 */

export type SarifLevel = 'error' | 'warning' | 'note' | 'none';

export interface SarifRule {
  id: string;
  name: string;
  shortDescription: string;
  fullDescription: string;
  helpText: string;
  helpMarkdown?: string;
  helpUri: string;
  defaultLevel?: SarifLevel;
  properties?: Record<string, unknown>;
}

export interface SarifRegion {
  startLine: number;
  startColumn?: number;
  endLine?: number;
  endColumn?: number;
}

export interface SarifResult {
  ruleId: string;
  level: SarifLevel;
  message: string;
  /** Relative path with `/` separators; `.` for the project itself. */
  path: string;
  region?: SarifRegion;
  properties?: Record<string, unknown>;
  /** Properties of the location (a notebook finding's cell). */
  locationProperties?: Record<string, unknown>;
}

export interface SarifNotification {
  level: SarifLevel;
  message: string;
  path: string;
}

export interface SarifRun {
  toolName: string;
  version: string;
  informationUri: string;
  rules: readonly SarifRule[];
  results: readonly SarifResult[];
  /** Files that could not be analysed. */
  notifications?: readonly SarifNotification[];
  properties?: Record<string, unknown>;
}

/** A relative path as a SARIF artifact URI: percent-encoded, `/`-separated. */
function artifactUri(path: string): string {
  return encodeURI(path.split('\\').join('/'));
}

export function renderSarifLog(run: SarifRun): string {
  const index = new Map(run.rules.map((rule, i) => [rule.id, i]));
  const sarif = {
    $schema: 'https://json.schemastore.org/sarif-2.1.0.json',
    version: '2.1.0',
    runs: [
      {
        tool: {
          driver: {
            name: run.toolName,
            version: run.version,
            informationUri: run.informationUri,
            rules: run.rules.map((rule) => ({
              id: rule.id,
              name: rule.name,
              shortDescription: { text: rule.shortDescription },
              fullDescription: { text: rule.fullDescription },
              help: rule.helpMarkdown === undefined ? { text: rule.helpText } : { text: rule.helpText, markdown: rule.helpMarkdown },
              helpUri: rule.helpUri,
              ...(rule.defaultLevel ? { defaultConfiguration: { level: rule.defaultLevel } } : {}),
              ...(rule.properties ? { properties: rule.properties } : {}),
            })),
          },
        },
        ...(run.notifications
          ? {
              invocations: [
                {
                  executionSuccessful: true,
                  toolExecutionNotifications: run.notifications.map((n) => ({
                    level: n.level,
                    message: { text: n.message },
                    locations: [{ physicalLocation: { artifactLocation: { uri: artifactUri(n.path) } } }],
                  })),
                },
              ],
            }
          : {}),
        results: run.results.map((result) => ({
          ruleId: result.ruleId,
          ruleIndex: index.get(result.ruleId),
          level: result.level,
          message: { text: result.message },
          locations: [
            {
              physicalLocation: {
                artifactLocation: { uri: artifactUri(result.path) },
                ...(result.region ? { region: result.region } : {}),
              },
              ...(result.locationProperties ? { properties: result.locationProperties } : {}),
            },
          ],
          ...(result.properties ? { properties: result.properties } : {}),
        })),
        ...(run.properties ? { properties: run.properties } : {}),
      },
    ],
  };
  return JSON.stringify(sarif, null, 2) + '\n';
}
