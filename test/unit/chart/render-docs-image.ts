// Renders the docs' example chart: `npx tsx test/unit/chart/render-docs-image.ts`.
import { writeFile } from 'node:fs/promises';
import { renderMetricChartPng } from '../../../src/chart/index.js';
import { rollbackExample } from './rollback-example.js';

const target = new URL('../../../docs/images/rollback-chart.png', import.meta.url);
await writeFile(target, renderMetricChartPng(rollbackExample));
console.log(`wrote ${target.pathname}`);
