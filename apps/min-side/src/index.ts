export { addMinSideRoutes, type MinSideRoutesOptions } from './app.js'
export { type IdportenMockLike, type MinSide, type StartMinSideOptions, startMinSide } from './start.js'
export { type TextKey, texts } from './texts.js'
