"use client";

export {
  createSprocketConfig,
  type SprocketConfig,
  SprocketProvider,
  type SprocketProviderProps,
  useSprocket,
} from "./provider.js";
