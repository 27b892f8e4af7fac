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
static inline hid_t h5_T_NATIVE_INT8(void) { return H5T_NATIVE_INT8; }
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
static inline hid_t h5_P_LINK_ACCESS(void) { return H5P_LINK_ACCESS; }
static inline hid_t h5_P_DATASET_ACCESS(void) { return H5P_DATASET_ACCESS; }
static inline hid_t h5_P_GROUP_ACCESS(void) { return H5P_GROUP_ACCESS; }
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

/* An external-link traversal callback that refuses every traversal: set on the access
   property lists the wrapper opens objects with, so a link into another file (a FIFO, a
   device, any path) fails instead of being opened. */
static herr_t h5_shim_deny_external(const char *parent_file, const char *parent_group, const char *child_file,
                                    const char *child_object, unsigned *flags, hid_t fapl, void *data) {
  (void)parent_file; (void)parent_group; (void)child_file; (void)child_object; (void)flags; (void)fapl; (void)data;
  return -1;
}

/* Creates a property list of `cls` (link, dataset or group access) that follows no external
   link; negative on failure. */
static inline hid_t h5_access_without_external_links(hid_t cls) {
  hid_t plist = H5Pcreate(cls);
  if (plist < 0) return plist;
  if (H5Pset_elink_cb(plist, h5_shim_deny_external, NULL) < 0) {
    H5Pclose(plist);
    return -1;
  }
  return plist;
}

/* The type of the link `name` below `loc` (H5L_TYPE_HARD, _SOFT, _EXTERNAL, ...), without
   following it; negative when there is no such link. */
static inline int h5_link_type(hid_t loc, const char *name, hid_t lapl) {
  H5L_info_t info;
  if (H5Lget_info(loc, name, &info, lapl) < 0) return -1;
  return (int)info.type;
}

/* Identifies the open object `obj` within the files the library has open (file number and
   address in 1.10, file number and token in 1.12+), so a walk can visit each object once. */
static inline herr_t h5_object_identity(hid_t obj, unsigned long *fileno, unsigned long long key[2]) {
  key[0] = 0;
  key[1] = 0;
#if H5_VERSION_GE(1, 12, 0)
  H5O_info2_t info;
  herr_t status = H5Oget_info3(obj, &info, H5O_INFO_BASIC);
  if (status < 0) return status;
  *fileno = info.fileno;
  memcpy(key, &info.token, sizeof(info.token) < 16 ? sizeof(info.token) : 16);
#else
  H5O_info_t info;
  herr_t status = H5Oget_info2(obj, &info, H5O_INFO_BASIC);
  if (status < 0) return status;
  *fileno = info.fileno;
  key[0] = (unsigned long long)info.addr;
#endif
  return 0;
}

/* Whether the dataset's raw data lives outside the file: in external raw files
   (H5Pset_external) or in other datasets (a virtual layout). 1 yes, 0 no, negative on failure. */
static inline int h5_dataset_data_is_elsewhere(hid_t dataset) {
  hid_t dcpl = H5Dget_create_plist(dataset);
  if (dcpl < 0) return -1;
  int external = H5Pget_external_count(dcpl);
  H5D_layout_t layout = H5Pget_layout(dcpl);
  H5Pclose(dcpl);
  if (external < 0 || layout < 0) return -1;
  return external > 0 || layout == H5D_VIRTUAL;
}

/* Where a dataset's raw data begin in its file (an absolute offset, user block included) when
   its layout is contiguous and its storage allocated: 1 and *offset set; 0 for any other layout
   (chunked, compact, virtual) or unallocated storage; negative on failure. */
static inline int h5_contiguous_data_offset(hid_t dataset, unsigned long long *offset) {
  hid_t dcpl = H5Dget_create_plist(dataset);
  if (dcpl < 0) return -1;
  H5D_layout_t layout = H5Pget_layout(dcpl);
  H5Pclose(dcpl);
  if (layout < 0) return -1;
  if (layout != H5D_CONTIGUOUS) return 0;
  haddr_t addr = H5Dget_offset(dataset);
  if (addr == HADDR_UNDEF) {
    H5Eclear2(H5E_DEFAULT);
    return 0;
  }
  *offset = (unsigned long long)addr;
  return 1;
}

/* What reading a file's bytes directly needs, for the file holding `obj`. */
typedef struct {
  int fd;                   /* the sec2 driver's descriptor (not ours to close); -1 for another driver */
  int writable;             /* opened read-write: buffered changes must be flushed first */
  size_t sizeof_addr;       /* bytes of an address stored in the file */
  size_t sizeof_size;       /* bytes of a length stored in the file */
  unsigned long long base;  /* the base address stored addresses are relative to (the user block size) */
} h5_file_access_t;

static inline herr_t h5_file_access(hid_t obj, h5_file_access_t *out) {
  out->fd = -1;
  out->writable = 0;
  hid_t file = H5Iget_file_id(obj);
  if (file < 0) return -1;
  herr_t status = -1;
  hid_t fcpl = H5Fget_create_plist(file);
  hid_t fapl = H5Fget_access_plist(file);
  unsigned intent = 0;
  hsize_t userblock = 0;
  if (fcpl >= 0 && fapl >= 0 && H5Pget_sizes(fcpl, &out->sizeof_addr, &out->sizeof_size) >= 0 &&
      H5Pget_userblock(fcpl, &userblock) >= 0 && H5Fget_intent(file, &intent) >= 0) {
    out->base = (unsigned long long)userblock;
    out->writable = (intent & H5F_ACC_RDWR) != 0;
    status = 0;
    if (H5Pget_driver(fapl) == H5FD_SEC2) {
      void *handle = NULL;
      if (H5Fget_vfd_handle(file, fapl, &handle) >= 0 && handle != NULL) out->fd = *(int *)handle;
      else status = -1;
    }
  }
  if (fapl >= 0) H5Pclose(fapl);
  if (fcpl >= 0) H5Pclose(fcpl);
  H5Fclose(file);
  return status;
}
#endif
