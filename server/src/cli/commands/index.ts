/** The command registry: one module per command. */
import type { Command } from '../io';
import { previewCommand } from './preview';
import { validateCommand } from './validate';

export const commands: Command[] = [validateCommand, previewCommand];
