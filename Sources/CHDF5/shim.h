#ifndef R4NCL_CHDF5_SHIM_H
#define R4NCL_CHDF5_SHIM_H
#include <hdf5.h>

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
static inline hid_t h5_T_IEEE_F32LE(void) { return H5T_IEEE_F32LE; }
static inline hid_t h5_T_IEEE_F64LE(void) { return H5T_IEEE_F64LE; }
static inline hid_t h5_T_STD_I64LE(void) { return H5T_STD_I64LE; }
static inline hid_t h5_P_DATASET_CREATE(void) { return H5P_DATASET_CREATE; }
static inline hid_t h5_P_FILE_ACCESS(void) { return H5P_FILE_ACCESS; }
static inline hsize_t h5_S_UNLIMITED(void) { return H5S_UNLIMITED; }
#endif
