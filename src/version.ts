// The release version: defined at build time in the bundle, read from package.json when run from source.
export const VERSION: string = process.env.OCPP_EDGE_BUILD_VERSION ?? process.env.npm_package_version ?? '0.1.0';
