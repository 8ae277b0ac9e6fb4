// Transitional: the helpers now live in modules named for what they do. Import from those; this
// file re-exports them only until the branches written against it have merged, then goes.
export { functionName, contains, inSameBody, decoratorsOf, descendants } from './tree-queries';
export { namesIn, rootName, targetNames, propagate, resolveValue, withOpenPath } from './dataflow';
export { type Loop, enclosingLoops, loopsIn } from './loops';
export { calledName, argument } from './calls';
export { literalString } from './literals';
export { isModuleClass, torchFacts, TorchFacts, gradientsOff, isBackward, isOptimizerStep } from './torch-facts';
