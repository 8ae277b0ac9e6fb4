import type { CategoryId, ItemDefinition } from '../item';
import { PROBLEM_ITEMS } from './problem';
import { DATA_ITEMS } from './data';
import { REPRODUCIBILITY_ITEMS } from './reproducibility';
import { SERVING_ITEMS } from './serving';
import { INTEGRATION_ITEMS } from './integration';
import { OPERATIONS_ITEMS } from './operations';
import { GOVERNANCE_ITEMS } from './governance';
import { GENAI_ITEMS } from './genai';

export interface CategoryDefinition {
  id: CategoryId;
  title: string;
  items: ItemDefinition[];
}

/** The checklist, in the order a reviewer walks it: from the problem to the running system. */
export const CATEGORIES: readonly CategoryDefinition[] = [
  { id: 'problem', title: 'Problem definition', items: PROBLEM_ITEMS },
  { id: 'data', title: 'Data', items: DATA_ITEMS },
  { id: 'reproducibility', title: 'Reproducibility', items: REPRODUCIBILITY_ITEMS },
  { id: 'serving', title: 'Serving and infrastructure', items: SERVING_ITEMS },
  { id: 'integration', title: 'Integration and failure handling', items: INTEGRATION_ITEMS },
  { id: 'operations', title: 'Operations', items: OPERATIONS_ITEMS },
  { id: 'governance', title: 'Governance', items: GOVERNANCE_ITEMS },
  { id: 'genai', title: 'AI application (LLM calls)', items: GENAI_ITEMS },
];

export const ITEMS: readonly ItemDefinition[] = CATEGORIES.flatMap((category) => category.items);

export const ITEM_IDS: readonly string[] = ITEMS.map((item) => item.id);

export function findItem(id: string): ItemDefinition | undefined {
  return ITEMS.find((item) => item.id === id);
}
