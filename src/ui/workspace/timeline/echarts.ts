// The one door to ECharts: only the pieces the timeline uses, with the canvas renderer, so the
// lazy timeline chunk stays small and the entry chunk holds none of it.
import * as echarts from 'echarts/core';
import { CustomChart, LineChart, ScatterChart } from 'echarts/charts';
import {
  AxisPointerComponent, BrushComponent, DataZoomInsideComponent, DataZoomSliderComponent, GraphicComponent, GridComponent,
  MarkAreaComponent, MarkLineComponent, TooltipComponent,
} from 'echarts/components';
import { CanvasRenderer } from 'echarts/renderers';
import type { ComposeOption } from 'echarts/core';
import type {
  CustomSeriesOption, LineSeriesOption, ScatterSeriesOption,
} from 'echarts/charts';
import type {
  BrushComponentOption, DataZoomComponentOption, GraphicComponentOption, GridComponentOption, MarkAreaComponentOption,
  MarkLineComponentOption, TooltipComponentOption,
} from 'echarts/components';

echarts.use([
  CustomChart, LineChart, ScatterChart,
  AxisPointerComponent, BrushComponent, DataZoomInsideComponent, DataZoomSliderComponent, GraphicComponent, GridComponent,
  MarkAreaComponent, MarkLineComponent, TooltipComponent,
  CanvasRenderer,
]);

export type ChartOption = ComposeOption<
  | CustomSeriesOption | LineSeriesOption | ScatterSeriesOption
  | BrushComponentOption | DataZoomComponentOption | GraphicComponentOption | GridComponentOption
  | MarkAreaComponentOption | MarkLineComponentOption | TooltipComponentOption
>;
export type SeriesOption = CustomSeriesOption | LineSeriesOption | ScatterSeriesOption;
export type { CustomSeriesOption, LineSeriesOption, ScatterSeriesOption };
export { echarts };
