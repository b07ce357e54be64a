export const wait = await Promise.resolve(true);
