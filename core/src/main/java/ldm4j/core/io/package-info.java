/**
 * Files in and out: safetensors tensors, checkpoint directories with their JSON sidecar, numpy
 * {@code .npy} arrays, PNG images and grids, JSON/YAML configs. Every write is atomic
 * ({@link ldm4j.core.io.AtomicFiles}); every bad file is one {@link ldm4j.core.InputException}
 * line naming the file and the fault.
 */
package ldm4j.core.io;
