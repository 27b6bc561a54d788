/** How a custom training scenario file is named: known to the drop handler before its code loads. */
export const SCENARIO_FILE_SUFFIX = '.causeway-scenario.zip';
