// A uPlot chart that fills its container's width and follows its resizes.
import { useEffect, useRef } from 'preact/hooks';
import uPlot from 'uplot';

const height = 260;
export const palette = ['#1f6feb', '#d9480f', '#2f9e44', '#9c36b5', '#e67700', '#0c8599', '#c2255c', '#5c940d'];

export function Chart({ options, data, label }: { options: Omit<uPlot.Options, 'width' | 'height'>; data: uPlot.AlignedData; label: string }) {
  const container = useRef<HTMLDivElement>(null);
  useEffect(() => {
    const element = container.current!;
    const plot = new uPlot({ ...options, width: Math.max(200, element.clientWidth), height }, data, element);
    const observer = new ResizeObserver(() => plot.setSize({ width: Math.max(200, element.clientWidth), height }));
    observer.observe(element);
    return () => {
      observer.disconnect();
      plot.destroy();
    };
  }, [options, data]);
  return <div class="chart" ref={container} role="img" aria-label={label} />;
}
