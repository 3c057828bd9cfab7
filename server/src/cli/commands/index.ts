/** The command registry: one module per command. */
import type { Command } from '../io';

export const commands: Command[] = [];
