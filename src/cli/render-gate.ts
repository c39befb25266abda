/**
 * `absolve gate --format markdown`: the rollout decision for a pull-request comment or a CI job summary
 * (GitHub's $GITHUB_STEP_SUMMARY is GitHub Flavored Markdown). One heading with the verdict, then one list
 * item per failing reason with the files it names (capped, so a release of thousands of files stays readable).
 */
import type { GateResult } from '../core/gate/release-gate.ts';
import { code, mdEscape } from './render-markdown.ts';

/** Files named per reason before "… and N more". */
export const GATE_MARKDOWN_MAX_FILES = 10;

export function renderGateMarkdown(result: GateResult): string {
  const release = `${mdEscape(result.product)}@${mdEscape(result.version)}`;
  const out = [`### Absolve gate: ${release}: ${result.pass ? '✅ pass' : '❌ fail'}`, ''];
  if (result.reasons.length === 0) out.push('No reason under the gate policy holds the release back: it may roll out.');
  for (const r of result.reasons) {
    out.push(`- **${r.code}**: ${mdEscape(r.message)}`);
    for (const f of r.files.slice(0, GATE_MARKDOWN_MAX_FILES)) out.push(`  - ${code(f)}`);
    if (r.files.length > GATE_MARKDOWN_MAX_FILES) out.push(`  - … and ${r.files.length - GATE_MARKDOWN_MAX_FILES} more`);
  }
  return `${out.join('\n')}\n`;
}
