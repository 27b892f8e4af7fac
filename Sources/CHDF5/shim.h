#ifndef R4NCL_CHDF5_SHIM_H
#define R4NCL_CHDF5_SHIM_H
#include <hdf5.h>
#include <string.h>

/* HDF5's property-list, dataspace and type constants are macros (or function calls plus
   globals) that do not import into Swift, or import with the wrong integer type. */
static inline hid_t h5_P_DEFAULT(void) { return H5P_DEFAULT; }
static inline hid_t h5_S_ALL(void) { return H5S_ALL; }
static inline unsigned h5_F_ACC_RDONLY(void) { return H5F_ACC_RDONLY; }
static inline unsigned h5_F_ACC_RDWR(void) { return H5F_ACC_RDWR; }
static inline unsigned h5_F_ACC_TRUNC(void) { return H5F_ACC_TRUNC; }
static inline unsigned h5_F_ACC_EXCL(void) { return H5F_ACC_EXCL; }
static inline hid_t h5_T_NATIVE_FLOAT(void) { return H5T_NATIVE_FLOAT; }
static inline hid_t h5_T_NATIVE_DOUBLE(void) { return H5T_NATIVE_DOUBLE; }
static inline hid_t h5_T_NATIVE_INT64(void) { return H5T_NATIVE_INT64; }
static inline hid_t h5_T_NATIVE_INT32(void) { return H5T_NATIVE_INT32; }
static inline hid_t h5_T_NATIVE_UINT8(void) { return H5T_NATIVE_UINT8; }
static inline hid_t h5_T_NATIVE_UINT16(void) { return H5T_NATIVE_UINT16; }
static inline hid_t h5_T_NATIVE_UINT32(void) { return H5T_NATIVE_UINT32; }
static inline hid_t h5_T_C_S1(void) { return H5T_C_S1; }
static inline hid_t h5_T_STD_U16LE(void) { return H5T_STD_U16LE; }
static inline hid_t h5_T_STD_U8LE(void) { return H5T_STD_U8LE; }
static inline hid_t h5_T_STD_I32LE(void) { return H5T_STD_I32LE; }
static inline hid_t h5_T_IEEE_F32LE(void) { return H5T_IEEE_F32LE; }
static inline hid_t h5_T_IEEE_F64LE(void) { return H5T_IEEE_F64LE; }
static inline hid_t h5_T_STD_I64LE(void) { return H5T_STD_I64LE; }
static inline hid_t h5_P_DATASET_CREATE(void) { return H5P_DATASET_CREATE; }
static inline hid_t h5_P_FILE_ACCESS(void) { return H5P_FILE_ACCESS; }
static inline hid_t h5_P_FILE_CREATE(void) { return H5P_FILE_CREATE; }
static inline hid_t h5_P_LINK_CREATE(void) { return H5P_LINK_CREATE; }
static inline hsize_t h5_S_UNLIMITED(void) { return H5S_UNLIMITED; }
static inline size_t h5_T_VARIABLE(void) { return H5T_VARIABLE; }

/* Turns off HDF5's automatic printing of its error stack to stderr: failures are turned
   into Swift errors instead. */
static inline herr_t h5_silence_errors(void) { return H5Eset_auto2(H5E_DEFAULT, NULL, NULL); }

static herr_t h5_shim_first_error(unsigned n, const H5E_error2_t *err, void *data) {
  char *out = (char *)data;
  if (n == 0 && err->desc != NULL) {
    strncpy(out, err->desc, 511);
    out[511] = 0;
  }
  return 0;
}

/* Copies the innermost (most specific) message of the current thread's error stack into
   `out` (at least 512 bytes), then clears the stack. Empty when there is no error. */
static inline void h5_take_error_message(char *out) {
  out[0] = 0;
  H5Ewalk2(H5E_DEFAULT, H5E_WALK_UPWARD, h5_shim_first_error, out);
  H5Eclear2(H5E_DEFAULT);
}

/* Frees the buffers HDF5 allocated while reading variable-length data
   (H5Dvlen_reclaim was renamed H5Treclaim in 1.12). */
static inline herr_t h5_reclaim(hid_t type, hid_t space, void *buf) {
#if H5_VERSION_GE(1, 12, 0)
  return H5Treclaim(type, space, H5P_DEFAULT, buf);
#else
  return H5Dvlen_reclaim(type, space, H5P_DEFAULT, buf);
#endif
}
#endif
