// How a prediction is shown over the slide, the same wherever it comes from (the segmentation
// service's preview in its panel, "Segment here" in the browser): the classes with their opacity,
// where the forest hesitates (the uncertainty) with its own opacity, and the legend of the
// uncertainty's colours. Both paint the uncertainty with the engine's one ramp (UncertaintyRamp:
// the service in Java, the browser through the engine compiled by TeaVM), whose stops the legend shows.
import { h } from '../ui.js';

/**
 * `prefix` names the elements (`${prefix}-show`, `-opacity`, `-uncertainty`, `-uopacity`, `-legend`);
 * `changed(what)` is called with 'shown' when a checkbox changes, 'opacity' when a slider moves.
 */
export function predictionControls({ prefix, changed }) {
  const showPrediction = h('input', { type: 'checkbox', id: `${prefix}-show`, checked: true, onchange: () => changed('shown') });
  const opacity = h('input', { type: 'range', id: `${prefix}-opacity`, min: 0, max: 1, step: 0.05, value: 0.5, title: 'Opacity of the classes', oninput: () => changed('opacity') });
  const showUncertainty = h('input', { type: 'checkbox', id: `${prefix}-uncertainty`, onchange: () => changed('shown') });
  const uOpacity = h('input', { type: 'range', id: `${prefix}-uopacity`, min: 0, max: 1, step: 0.05, value: 0.8, title: 'Opacity of the uncertainty', oninput: () => changed('opacity') });
  const legend = h('div.ramp', { id: `${prefix}-legend`, hidden: true, title: 'Uncertainty: clear where the forest is sure, yellow where its trees disagree (draw regions there)' },
    h('span', {}, 'sure'), h('span', {}, 'unsure'));
  const element = h('div.prediction-controls', {},
    h('div.row', {}, h('label.inline', {}, showPrediction, ' Classes '), h('label.slider', {}, 'Opacity', opacity)),
    h('div.row', {}, h('label.inline', {}, showUncertainty, ' Uncertainty (where to draw more regions) '), h('label.slider', {}, 'Opacity', uOpacity)),
    legend);
  return {
    element,
    prediction: () => showPrediction.checked,
    uncertainty: () => showUncertainty.checked,
    opacity: () => Number(opacity.value),
    uncertaintyOpacity: () => Number(uOpacity.value),
    /** The ramp's stops as CSS colours, sure to unsure. */
    setRamp(stops) {
      legend.style.setProperty('--ramp', `linear-gradient(to right, ${stops.join(', ')})`);
      legend.hidden = false;
    },
  };
}
