/** The command registry: one module per command. */
import type { Command } from '../io';
import { previewCommand } from './preview';
import { validateCommand } from './validate';
import { uploadCommand } from './upload';
import { standInCommand } from './standIn';
import { importCommand } from './import';
import { testCommand } from './test';
import { diffCommand } from './diff';
import { initCommand } from './init';
import { sampleCommand } from './sample';
import { syncCommand } from './sync';
import { serverCommand } from './server';
import { appCommand } from './app';

export const commands: Command[] = [initCommand, validateCommand, previewCommand, uploadCommand, syncCommand, sampleCommand, serverCommand, standInCommand, testCommand, diffCommand, importCommand, appCommand];
