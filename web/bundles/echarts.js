// The ECharts every page loads: only the chart types and components our
// chart options use (charts/), registered through ECharts' modular API
// (echarts/core + use), so the bundle holds none of the rest. esbuild bundles
// this file and echarts-map.js at `make build` into web/static/vendor, with
// the code both need in a shared chunk, loaded once.
//
// The install functions are imported from their own files rather than from
// the echarts/charts and echarts/components indexes (which re-export the same
// functions): an index reaches every chart type, so esbuild would put the
// map's code into the shared chunk, and every page would load it.
import { init, getInstanceByDom, use, version } from 'echarts/core';
import { install as BarChart } from 'echarts/lib/chart/bar/install.js';
import { install as LineChart } from 'echarts/lib/chart/line/install.js';
import { install as TitleComponent } from 'echarts/lib/component/title/install.js';
import { install as TooltipComponent } from 'echarts/lib/component/tooltip/install.js';
import { install as LegendComponent } from 'echarts/lib/component/legend/install.js';
import { install as ToolboxComponent } from 'echarts/lib/component/toolbox/install.js';
import { install as GridComponent } from 'echarts/lib/component/grid/install.js';
import { install as AriaComponent } from 'echarts/lib/component/aria/install.js';
import { install as MarkLineComponent } from 'echarts/lib/component/marker/installMarkLine.js';
import { install as CanvasRenderer } from 'echarts/lib/renderer/installCanvasRenderer.js';

use([
  BarChart, // bar and column charts: work settings, projections, distribution, ranking
  LineChart, // trends
  TitleComponent,
  TooltipComponent, // with its axis pointer (line, shadow)
  LegendComponent, // plain and scroll
  ToolboxComponent, // the "Save as PNG" button
  GridComponent,
  AriaComponent, // aria labels and decal patterns
  MarkLineComponent, // a series break on a trend
  CanvasRenderer // app.js draws on canvas
]);

// app.js reads this global; getInstanceByDom lets the browser tests (and a
// person at the console) look at a drawn chart.
window.echarts = { init, getInstanceByDom, version };
