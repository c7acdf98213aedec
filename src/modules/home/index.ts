/** The home module's public surface: the public landing page. */
export { registerHomePages, type HomeDeps } from './home.pages'
