export declare const viaJs: boolean;
