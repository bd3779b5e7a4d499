import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { validateFlow } from '../validation/flow-validator';
import { nodeSchemas, nodeTypes, type NodeType } from './flow-document.schema';

const docs = readFileSync(join(__dirname, '../../../../docs/flows.md'), 'utf8');
const blocks = [...docs.matchAll(/```json\n([\s\S]*?)```/g)].map((m) => m[1]);
const examples = blocks.flatMap((block) => (block.trim().startsWith('{ "type"') && !block.includes('\n{') ? [block] : block.split(/\n(?=\{)/)))
  .map((text) => JSON.parse(text) as { type?: string });

describe('docs/flows.md', () => {
  it('shows a valid document', () => {
    expect(validateFlow(examples.find((e) => 'schemaVersion' in e))).toMatchObject({ ok: true });
  });

  it('gives a valid example of every node type', () => {
    const nodes = examples.filter((e) => typeof e.type === 'string');
    for (const node of nodes) {
      const result = nodeSchemas[node.type as NodeType].safeParse(node);
      expect({ type: node.type, issues: result.success ? [] : result.error.issues }).toEqual({ type: node.type, issues: [] });
    }
    expect(new Set(nodes.map((n) => n.type))).toEqual(new Set(nodeTypes));
  });
});
