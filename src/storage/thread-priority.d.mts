export declare const BACKGROUND_NICE: number;
export declare function lowerThreadPriority(nice?: number): number | undefined;
