// The places page's map: ECharts' map series (with the geo component it
// needs), the continuous colour scale and the graphic element of the
// "no figure" legend. app.js imports this module only on a page with a map;
// it registers into the same ECharts as echarts.js, whose code it shares
// through esbuild's chunk, and hands app.js registerMap for the state shapes.
import { use, registerMap } from 'echarts/core';
import { install as MapChart } from 'echarts/lib/chart/map/install.js';
import { install as VisualMapContinuousComponent } from 'echarts/lib/component/visualMap/installVisualMapContinuous.js';
import { install as GraphicComponent } from 'echarts/lib/component/graphic/install.js';

use([MapChart, VisualMapContinuousComponent, GraphicComponent]);

export { registerMap };
