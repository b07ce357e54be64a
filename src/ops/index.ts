/** Imports every built-in operator module so that each registers itself (workers import this). */
import './text-length.ts';
import './regex-line-filter.ts';
